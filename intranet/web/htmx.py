"""htmx, the progressive enhancement: parts of a page that refresh or save in place.

Every such part is a plain link or form first; htmx (vendored from npm, served from
``/static/vendor/htmx/``, configured in base.html's ``htmx-config`` meta tag without eval,
script tags or inline styles, so the CSP stays ``'self'``) only adds attributes. A view
answers an htmx request (header ``HX-Request``) with the fragment of the page it changed, the
same HTML the full page renders for that part. Anything else that reaches an htmx request
— an error page, a sign-in redirect's page, a refused CSRF token — is a whole page: its main
content then replaces the page's main content (``HX-Retarget``/``HX-Reselect``), so the user
reads the Dutch explanation where they were working, never a page inside a page.
"""

from __future__ import annotations

from flask import Flask, Response, request


def is_htmx() -> bool:
    """Whether this request came from htmx (and may be answered with a fragment)."""
    return request.headers.get("HX-Request") == "true"


def _is_whole_page(response: Response) -> bool:
    if response.mimetype != "text/html" or response.direct_passthrough:
        return False
    start = response.get_data()[:200].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def init_app(app: Flask) -> None:
    @app.after_request
    def whole_pages_replace_the_main_content(response: Response) -> Response:
        if is_htmx():
            response.vary.add("HX-Request")
            if _is_whole_page(response):
                response.headers["HX-Retarget"] = "#inhoud"
                response.headers["HX-Reswap"] = "outerHTML"
                response.headers["HX-Reselect"] = "#inhoud"
        return response
