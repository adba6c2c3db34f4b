"""The baseline for ``bench/pages.py``: a bare Flask app with one Jinja page of a given size.

``bench/pages.py`` serves it with gunicorn under the same settings as the intranet, so the
throughput ratio between an intranet page and this page is what the intranet itself costs
per request (database, sign-in, permissions, audit, layout), not Flask, gunicorn, Jinja or
the number of bytes on the wire.

The page is a 25-row table, like a page of the residents list, padded with escaped filler
text so that it renders to exactly ``BENCH_PAGE_BYTES`` bytes (UTF-8).
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from jinja2 import DictLoader

ROWS_PER_PAGE = 25
FILLER_TEXT = "Dit is opvultekst zodat deze pagina even groot is als de inwonerslijst. "

TEMPLATE = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>{{ title }}</title>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<table>
  <caption>{{ title }}, pagina 1</caption>
  <tbody>
  {% for row in rows %}
  <tr>
    <td><a href="/inwoners/{{ row.id }}">{{ row.name }}</a></td>
    <td>{{ row.kind }}</td>
    <td>{{ row.neighbourhood }}</td>
    <td>{{ row.email }}</td>
  </tr>
  {% endfor %}
  </tbody>
</table>
<p>{{ filler }}</p>
</main>
</body>
</html>
"""

ROWS = [
    {
        "id": n,
        "name": f"Inwoner {n}",
        "kind": "Client",
        "neighbourhood": "Binnenstad",
        "email": f"inwoner{n}@example.org",
    }
    for n in range(1, ROWS_PER_PAGE + 1)
]


def create_app(page_bytes: int) -> Flask:
    """A Flask app whose ``/`` renders a page of ``page_bytes`` bytes, and a ``/health``."""
    app = Flask(__name__)
    # A loader, not render_template_string: the template is compiled once and cached,
    # exactly as the intranet's own templates are.
    app.jinja_loader = DictLoader({"page.html": TEMPLATE})
    with app.app_context():
        filler = _filler(page_bytes)

    @app.route("/")
    def page():  # type: ignore[no-untyped-def]
        return render_template("page.html", **_context(filler))

    @app.route("/health")
    def health():  # type: ignore[no-untyped-def]
        return {"status": "ok"}

    return app


def _context(filler: str) -> dict[str, object]:
    return {"title": "Inwoners", "rows": ROWS, "filler": filler}


def _filler(page_bytes: int) -> str:
    """Filler text that brings the rendered page to ``page_bytes`` bytes (ASCII, no escapes)."""
    empty = len(render_template("page.html", **_context("")).encode())
    missing = max(0, page_bytes - empty)
    filler = (FILLER_TEXT * (missing // len(FILLER_TEXT) + 1))[:missing]
    rendered = len(render_template("page.html", **_context(filler)).encode())
    if missing and rendered != page_bytes:
        raise RuntimeError(f"bare page renders to {rendered} bytes, not {page_bytes}")
    return filler


app = create_app(int(os.environ.get("BENCH_PAGE_BYTES", "20000")))
