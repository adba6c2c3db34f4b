"""Serving a municipality's theme files: from the app (CSP ``'self'``), with caching headers.

The addresses carry the theme's version (a hash of its content), so a browser may keep each
file for a year; an old address still answers with the current file, to be checked again.
The files are public like the Utrecht tokens: the sign-in page is themed too.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, request

from ..access.permissions import public
from ..web.htmx import is_htmx
from . import service

bp = Blueprint("theme", __name__, url_prefix="/<municipality>/thema")

YEAR = 365 * 24 * 3600


def _serve(body: bytes | None, version: str, mimetype: str) -> Response:
    if body is None:
        abort(404)
    info = service.theme_info(g.municipality.id)
    response = Response(body, mimetype=mimetype)
    if info is not None and version == info.version:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.set_etag(info.version if info is not None else "none")
    response.headers["Content-Disposition"] = "inline"
    return response.make_conditional(request)


@bp.route("/<version>/design-tokens.css")
@public
def tokens(version: str) -> Response:
    return _serve(service.tokens_of(g.municipality.id), version, "text/css")


@bp.route("/<version>/logo.png")
@public
def logo(version: str) -> Response:
    return _serve(service.logo_of(g.municipality.id), version, "image/png")


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    """The theme's routes, and the theme's addresses on ``g.theme_assets`` for base.html.

    Read in a ``before_request`` after the request pipeline (so never for another
    municipality's employee, whose request the pipeline ended), not while rendering: an error
    page rendered because the database is down must not ask the database again."""
    app.register_blueprint(bp)

    @app.before_request
    def load_theme() -> None:
        municipality = g.get("municipality")
        if municipality is None or request.endpoint == "static" or not _renders_the_layout():
            return
        g.theme_assets = service.page_assets(municipality)


#: Addresses that answer a file, not a page: no layout, so no theme to look up.
_FILE_SUFFIXES = (".ics", ".css", ".png", ".csv", ".pdf", ".json", ".txt")


def _renders_the_layout() -> bool:
    """Whether the answer may be a whole page with base.html's ``<head>``.

    An htmx request gets a fragment, or a whole page of which only the main content is swapped
    in (``intranet.web.htmx``): its head, with the theme's links, is never used. Feeds and the
    theme's own files are no pages at all.
    """
    if is_htmx():
        return False
    rule = request.url_rule
    return rule is None or not rule.rule.endswith(_FILE_SUFFIXES)
