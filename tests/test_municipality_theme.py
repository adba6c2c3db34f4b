"""A theme per municipality (issue 14.6): the platform operator chooses it, the app serves it
with caching headers under CSP 'self', bad files are refused with a Dutch reason, and one
municipality's theme never shows at another."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import csrf_token, form_errors, signed_in
from intranet.themes import SHIPPED_DIR
from intranet.themes import service as themes
from intranet.themes.validation import (
    PNG_SIGNATURE,
    ThemeFileError,
    check_logo,
    check_tokens_css,
)

ROOT = Path(__file__).resolve().parent.parent
UTRECHT_TOKENS = ROOT / "intranet/static/vendor/utrecht/design-tokens.css"
GEMEENTE_TOKENS = (SHIPPED_DIR / "gemeente/design-tokens.css").read_bytes()
GEMEENTE_LOGO = (SHIPPED_DIR / "gemeente/logo.png").read_bytes()
OWN_TOKENS = b".utrecht-theme { --utrecht-color-blue-35: #123456; }\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _png(width: int = 2, height: int = 2, extra: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x00\x64\x6b" * width for _ in range(height))
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + extra
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


# -- what a tokens file and a logo may contain ---------------------------------------------


def test_the_shipped_tokens_and_utrecht_s_own_file_pass() -> None:
    check_tokens_css(GEMEENTE_TOKENS)
    if UTRECHT_TOKENS.exists():  # built by `make assets`
        check_tokens_css(UTRECHT_TOKENS.read_bytes())
    assert check_logo(GEMEENTE_LOGO).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("body { color: red; }", "alleen CSS custom properties"),
        (".utrecht-theme { color: red; }", "alleen CSS custom properties"),
        ('@import "https://example.org/x.css";', "@import"),
        (".utrecht-theme { --x: url(https://example.org/a.png); }", "laadt een bestand"),
        (".utrecht-theme { --x: image-set('a.png' 1x); }", "laadt een bestand"),
        (".utrecht-theme { --x: \\75 rl(a); }", "niet is toegestaan"),
        ("a[href] { --x: 1px; }", "selector"),
        ("* { --x: 1px; }", "selector"),
        (".a { .b { --x: 1px; } }", "blok in een blok"),
        ("@media screen { @media print { .a { --x: 1px; } } }", "niet genest"),
        ("@font-face { --x: 1; }", "@font-face"),
        (".a { --x: 1px; ", "niet afgesloten"),
        ("/* open", "niet afgesloten"),
        (".a { --x: 1px; } </style><script>", "selector met een blok"),
        ("", "leeg"),
        ("/* alleen een opmerking */", "geen enkele design token"),
    ],
)
def test_a_tokens_file_sets_custom_properties_and_nothing_else(css: str, message: str) -> None:
    with pytest.raises(ThemeFileError) as refused:
        check_tokens_css(css.encode())
    assert message in str(refused.value)


def test_a_tokens_file_error_names_the_line() -> None:
    with pytest.raises(ThemeFileError, match="Regel 3"):
        check_tokens_css(b".utrecht-theme {\n  --a: 1px;\n  color: red;\n}\n")


def test_binary_is_not_a_tokens_file() -> None:
    with pytest.raises(ThemeFileError, match="UTF-8"):
        check_tokens_css(b"\xff\xfe\x00garbage")


def test_svg_and_other_files_are_refused_as_logo() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ThemeFileError, match="SVG-bestand wordt niet aangenomen"):
        check_logo(svg)
    with pytest.raises(ThemeFileError, match="SVG"):
        check_logo(b"  <svg onload='x'></svg>")
    with pytest.raises(ThemeFileError, match="PNG-bestand zijn"):
        check_logo(b"\xff\xd8\xff\xe0JFIF")
    broken = bytearray(_png())
    broken[-5] ^= 0xFF  # the end chunk's checksum
    with pytest.raises(ThemeFileError, match="beschadigd"):
        check_logo(bytes(broken))
    with pytest.raises(ThemeFileError, match="beschadigd"):
        check_logo(_png()[:-12])
    with pytest.raises(ThemeFileError, match="beschadigd"):
        check_logo(_png() + b"<script>")
    with pytest.raises(ThemeFileError, match="1200 bij 1200"):
        check_logo(_png(width=5000))


def test_text_chunks_are_dropped_from_a_logo() -> None:
    with_text = _png(extra=_chunk(b"tEXt", b"Author\x00Jan Jansen, Raadhuisstraat 1"))
    cleaned = check_logo(with_text)
    assert b"Jan Jansen" not in cleaned and cleaned == _png()


# -- the platform operator's page ----------------------------------------------------------


def _post_theme(client, slug: str, base: str = "gemeente", **files):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, client.application), "base": base}
    for name, (content, filename) in files.items():
        data[name] = (io.BytesIO(content), filename)
    return client.post(f"/beheer/{slug}/thema", data=data, content_type="multipart/form-data")


def _linked(body: str, slug: str) -> list[str]:
    return re.findall(rf'"(/{slug}/thema/[^"]+)"', body)


def test_only_platform_operators_configure_a_theme(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    assert admin.get("/beheer/zwolle/thema").status_code == 403
    assert _post_theme(admin, "zwolle").status_code == 403
    with demo.app_context():
        assert themes.current(municipalities.by_slug("zwolle")) is None
    operator = signed_in(demo, "zwolle", "itbeheer")
    page = operator.get("/beheer/zaanstad/thema")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    assert operator.get("/beheer/nergens/thema").status_code == 404


def test_a_shipped_theme_is_linked_served_and_cached(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    answer = _post_theme(operator, "zwolle")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]

    coordinator = signed_in(demo, "zwolle", "griffier")
    body = coordinator.get("/zwolle/").get_data(as_text=True)
    tokens_url, logo_url = sorted(_linked(body, "zwolle"))
    assert tokens_url.endswith("/design-tokens.css") and logo_url.endswith("/logo.png")
    # Utrecht's tokens first, the theme's on top of them
    assert body.index("vendor/utrecht/design-tokens.css") < body.index(tokens_url)
    assert 'class="site-header__logo"' in body

    css = coordinator.get(tokens_url)
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert css.data == GEMEENTE_TOKENS
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "default-src 'self'" in css.headers["Content-Security-Policy"]
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    etag = css.headers["ETag"]
    again = coordinator.get(tokens_url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    logo = coordinator.get(logo_url)
    assert logo.mimetype == "image/png" and logo.data == GEMEENTE_LOGO

    # themed before sign-in too (the files are public, like Utrecht's)
    anonymous = demo.test_client()
    login = anonymous.get("/zwolle/inloggen").get_data(as_text=True)
    assert tokens_url in login
    assert anonymous.get(tokens_url).status_code == 200

    # an old address still answers, but must be checked again
    old = tokens_url.replace(tokens_url.split("/")[3], "0" * 20)
    stale = anonymous.get(old)
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"

    with demo.app_context():
        event = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "municipality.theme_changed",
                AuditEvent.actor == "itbeheer",
            )
        ).scalar_one()
        assert event.details["theme"] == "gemeente"
        assert event.municipality_id == municipalities.by_slug("zwolle").id


def test_one_municipalitys_theme_never_shows_at_another(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    # the demo gives Zaanstad the "gemeente" theme
    with demo.app_context():
        assert themes.current(municipalities.by_slug("zaanstad")).base == "gemeente"
    assert (
        _post_theme(operator, "zwolle", "utrecht", tokens=(OWN_TOKENS, "zwolle.css")).status_code
        == 302
    )
    zaanstad = signed_in(demo, "zaanstad", "coordinator")
    zwolle = signed_in(demo, "zwolle", "griffier")
    zaanstad_page = zaanstad.get("/zaanstad/").get_data(as_text=True)
    zwolle_page = zwolle.get("/zwolle/").get_data(as_text=True)
    assert not _linked(zaanstad_page, "zwolle") and not _linked(zwolle_page, "zaanstad")
    (zwolle_tokens,) = _linked(zwolle_page, "zwolle")  # own tokens, no logo
    assert "site-header__logo" not in zwolle_page
    assert zwolle.get(zwolle_tokens).data == OWN_TOKENS
    zaanstad_tokens = next(u for u in _linked(zaanstad_page, "zaanstad") if u.endswith(".css"))
    assert zaanstad.get(zaanstad_tokens).data == GEMEENTE_TOKENS
    # Zaanstad's version at Zwolle's address gives Zwolle's file, and Zwolle has no logo
    version = zaanstad_tokens.split("/")[3]
    assert zwolle.get(f"/zwolle/thema/{version}/design-tokens.css").data == OWN_TOKENS
    assert zwolle.get(f"/zwolle/thema/{version}/logo.png").status_code == 404
    # the platform operator's own municipality pages are not themed by what they configured
    assert not _linked(operator.get("/beheer/").get_data(as_text=True), "zaanstad")


def test_a_municipality_without_a_theme_has_the_default(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    body = clerk.get("/zwolle/").get_data(as_text=True)
    assert "vendor/utrecht/design-tokens.css" in body and not _linked(body, "zwolle")
    assert clerk.get("/zwolle/thema/x/design-tokens.css").status_code == 404
    assert clerk.get("/zwolle/thema/x/logo.png").status_code == 404


def test_own_files_are_stored_and_bad_ones_refused_with_nothing_saved(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    logo = _png(extra=_chunk(b"tEXt", b"Comment\x00geheim"))
    ok = _post_theme(
        operator, "zaanstad", tokens=(OWN_TOKENS, "eigen.css"), logo=(logo, "logo.png")
    )
    assert ok.status_code == 302, form_errors(ok.get_data(as_text=True))
    with demo.app_context():
        stored = themes.current(municipalities.by_slug("zaanstad"))
        assert stored is not None
        before = (stored.base, stored.tokens_css, stored.logo_png, stored.version)
        assert stored.logo_png == _png()  # without the text chunk

    refused = _post_theme(
        operator,
        "zaanstad",
        "utrecht",
        tokens=(b".utrecht-theme { color: red; }", "kapot.css"),
        logo=(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "logo.svg"),
    )
    assert refused.status_code == 400
    errors = form_errors(refused.get_data(as_text=True))
    assert any("alleen CSS custom properties" in e for e in errors), errors
    assert any("SVG-bestand wordt niet aangenomen" in e for e in errors), errors
    body = refused.get_data(as_text=True)
    assert 'id="foutmeldingen"' in body  # the error summary links to each field
    assert 'href="#tokens"' in body and 'href="#logo"' in body
    with demo.app_context():
        stored = themes.current(municipalities.by_slug("zaanstad"))
        assert (stored.base, stored.tokens_css, stored.logo_png, stored.version) == before

    # removing the own files and choosing the default takes the theme away
    data = {
        "csrf_token": csrf_token(operator, demo),
        "base": "utrecht",
        "remove_tokens": "y",
        "remove_logo": "y",
    }
    assert operator.post("/beheer/zaanstad/thema", data=data).status_code == 302
    with demo.app_context():
        assert themes.current(municipalities.by_slug("zaanstad")) is None
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    assert not _linked(coordinator.get("/zaanstad/").get_data(as_text=True), "zaanstad")


def test_an_unknown_theme_is_refused(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    refused = _post_theme(operator, "zaanstad", "paars")
    assert refused.status_code == 400
    assert "Kies een van de thema's uit de lijst." in form_errors(refused.get_data(as_text=True))


def test_the_theme_is_looked_up_for_pages_not_for_htmx_fragments_or_feeds(demo) -> None:  # type: ignore[no-untyped-def]
    """Only a whole page's ``<head>`` links the theme; a fragment's head is never used."""
    from flask import g

    zaanstad = signed_in(demo, "zaanstad", "coordinator")
    with zaanstad:
        page = zaanstad.get("/zaanstad/").get_data(as_text=True)
        assert g.theme_assets["tokens_url"] and g.theme_assets["tokens_url"] in page
    with zaanstad:
        zaanstad.get("/zaanstad/", headers={"HX-Request": "true"})
        assert "theme_assets" not in g
    with zaanstad:
        assert zaanstad.get("/zaanstad/kalender.ics").status_code == 200
        assert "theme_assets" not in g
