"""Dutch by default; an employee may choose English, and the choice stays with them.

The locale of a request is, in this order: the language the signed-in employee chose (stored
on the employee, so it holds on every device and after every sign-in), the language chosen in
this session (before signing in, on the sign-in page), Dutch. The browser's Accept-Language
does not decide: the product is Dutch, and a browser set to English (as many are by default)
must not turn a council clerk's screens into English without them asking for it.
"""

from __future__ import annotations

from babel import support
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from wtforms.i18n import messages_path


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        # jobs, the CLI, mails built outside a request: the configured default language
        return default
    stored = employee_language()
    if stored in languages:
        return stored
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return default


def employee_language() -> str | None:
    """The signed-in employee's stored choice, or None (not signed in, or never chosen)."""
    try:
        if current_user and current_user.is_authenticated:
            return getattr(current_user, "language", None)
    except RuntimeError:  # outside a request with a login manager (a mail job's context)
        return None
    return None


def remember_choice(code: str) -> None:
    """Keep ``code`` for this session and, when someone is signed in, on the employee."""
    from ..auth.models import Employee
    from ..extensions import db

    session["locale"] = code
    if current_user.is_authenticated:
        employee = db.session.get(Employee, current_user.id)
        if employee is not None and employee.language != code:
            employee.language = code
            db.session.commit()


def N_(text: str) -> str:
    """Mark ``text`` for the catalog without translating it here.

    For texts kept as they are in data and translated where they are shown: the keys of an
    access request's records stay Dutch in the JSON export, and the page shows them with
    ``_(key)`` in the reader's language.
    """
    return text


def content_language() -> str | None:
    """The language of the page's own content where it differs from the interface's.

    A plugin without a catalog in the chosen language renders its pages in Dutch inside the
    English interface: ``base.html`` then marks ``<main lang="nl">``, so ``lang`` stays true
    to the content. None when the content is in the page's language.
    """
    if not has_request_context() or g.get("core_content"):
        return None
    chosen = str(get_locale() or "")
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    plugin = current_app.extensions["intranet"].blueprint_plugins.get(request.blueprint or "")
    if plugin is None or chosen == default:
        return None
    if chosen in current_app.extensions.get("intranet_catalogs", {}).get(plugin, set()):
        return None
    return default


def init_app(app: Flask) -> None:
    """Templates get ``content_language()`` (see there)."""
    app.jinja_env.globals["content_language"] = content_language


class _WtformsCatalog:
    """WTForms' own messages in the request's language, read from disk once per process.

    Flask-WTF loads that catalog again on every request that validates a form (the sign-in
    POST among them); the catalog never changes while the process runs.
    """

    def _catalog(self) -> support.Translations:
        locale = str(get_locale())
        catalog = _WTFORMS_CATALOGS.get(locale)
        if catalog is None:
            catalog = support.Translations.load(messages_path(), [locale], domain="wtforms")
            _WTFORMS_CATALOGS[locale] = catalog
        return catalog

    def ugettext(self, string: str) -> str:
        return self._catalog().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog().ungettext(singular, plural, n)


_WTFORMS_CATALOGS: dict[str, support.Translations] = {}
_WTFORMS = _WtformsCatalog()


def share_wtforms_catalog() -> None:
    """``before_request``: give Flask-WTF the per-process catalog (it looks on the request)."""
    request.wtforms_translations = _WTFORMS  # type: ignore[attr-defined]
