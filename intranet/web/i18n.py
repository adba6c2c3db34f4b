"""Dutch by default; an employee may switch to English for the session."""

from __future__ import annotations

from babel import support
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from wtforms.i18n import messages_path


def select_locale() -> str:
    if not has_request_context():
        # jobs, the CLI, mails built outside a request: the configured default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"] or request.accept_languages.best_match(
        current_app.config["LANGUAGES"]
    )


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
