"""Error pages in plain Dutch; no stack trace ever reaches a browser."""

from __future__ import annotations

import logging

from flask import Flask, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..extensions import db, login_manager
from ..tenancy import CrossTenantReference

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Verzoek niet begrepen"),
        _l("Het formulier of de link klopt niet. Ga terug en probeer het opnieuw."),
    ),
    401: (_l("Niet ingelogd"), _l("Log eerst in.")),
    403: (
        _l("Geen toegang"),
        _l(
            "U heeft geen recht om deze pagina te bekijken. Neem contact op met de functioneel beheerder als u denkt dat dit niet klopt."
        ),
    ),
    404: (
        _l("Pagina niet gevonden"),
        _l("Deze pagina bestaat niet (meer), of u heeft er geen toegang toe."),
    ),
    405: (_l("Niet toegestaan"), _l("Deze handeling kan zo niet worden uitgevoerd.")),
    413: (_l("Te groot"), _l("Het verzonden bestand of formulier is te groot.")),
    429: (
        _l("Te veel pogingen"),
        _l("U heeft het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
    ),
    500: (
        _l("Er ging iets mis"),
        _l(
            "Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan bij de servicedesk."
        ),
    ),
    503: (
        _l("Tijdelijk niet beschikbaar"),
        _l(
            "Een onderdeel van het systeem is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
        ),
    ),
}


def render_error(code: int, detail: str | None = None):  # type: ignore[no-untyped-def]
    title, text = MESSAGES.get(code, MESSAGES[500])
    g.core_content = True  # the core's own text, also on a plugin's address
    return render_template("error.html", code=code, title=title, text=detail or text), code


def _retry_after(exc: HTTPException) -> int | None:
    """Seconds to wait: the length of the exceeded limit's window (at most that long).

    The limiter's own X-RateLimit-* headers are off: reading a window's state costs a round
    trip to the limit storage on every limited request, and on the sign-in they would tell
    anyone how many attempts others made on a user name. A refusal still says when to retry.
    """
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    get_expiry = getattr(limit, "get_expiry", None)
    return int(get_expiry()) if callable(get_expiry) else None


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(
            400,
            _(
                "Het formulier is verlopen of niet vanaf deze site verstuurd. Laad de pagina opnieuw en "
                "verstuur het nog eens; wat u al had opgeslagen is bewaard."
            ),
        )

    @app.errorhandler(429)
    def too_many(_exc: HTTPException):  # type: ignore[no-untyped-def]
        from ..audit.service import record_now

        record_now("auth.rate_limited", result="denied", details={"path": request.path[:200]})
        body, status = render_error(
            429,
            _(
                "U heeft te vaak geprobeerd in te loggen. Wacht een paar minuten en probeer het dan "
                "opnieuw. Weet u uw wachtwoord niet meer? Neem contact op met de servicedesk."
            ),
        )
        response = make_response(body, status)
        retry_after = _retry_after(_exc)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        return render_error(exc.code or 500)

    @app.errorhandler(CrossTenantReference)
    def cross_tenant(exc: CrossTenantReference):  # type: ignore[no-untyped-def]
        # An id of another municipality's row reached a form: answer as for an unknown id.
        log.warning("refused: %s", exc)
        db.session.rollback()
        return render_error(404)

    @app.errorhandler(OperationalError)
    def database_down(_exc: OperationalError):  # type: ignore[no-untyped-def]
        log.exception("database unavailable")
        db.session.rollback()
        # Render without loading the employee: that would ask the database again.
        g._login_user = login_manager.anonymous_user()
        return render_error(
            503,
            _(
                "De database is op dit moment niet bereikbaar. Probeer het over een paar minuten "
                "opnieuw; het systeem herstelt zich vanzelf zodra de database terug is."
            ),
        )

    @app.errorhandler(Exception)
    def unexpected(_exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
