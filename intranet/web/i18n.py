"""Dutch by default; an employee may choose English, and the choice stays with them.

The locale of a request is, in this order: the language the signed-in employee chose (stored
on the employee, so it holds on every device and after every sign-in), the language chosen in
this session (before signing in, on the sign-in page), Dutch. The browser's Accept-Language
does not decide: the product is Dutch, and a browser set to English (as many are by default)
must not turn a council clerk's screens into English without them asking for it.
"""

from __future__ import annotations

from typing import Any

import flask_babel
from babel import support
from flask import Flask, current_app, g, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import Domain, get_locale
from flask_babel.speaklater import LazyString
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


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the catalog looked up once per request and locale.

    Flask-Babel finds the catalog again on every ``gettext`` (the request's locale, its string
    form, the cache key): some sixty times a page, a tenth of a page's CPU. The catalog of a
    request changes only with its locale, and Flask-Babel replaces the locale object whenever
    it changes (``refresh``, ``force_locale``), so the object's identity is the memo's key.
    """

    def get_translations(self) -> Any:
        app_ctx = _cv_app.get(None)
        if app_ctx is None:
            return super().get_translations()
        state = app_ctx.g.__dict__
        babel_ctx = state.get("_flask_babel")
        locale = getattr(babel_ctx, "babel_locale", None)
        memo = state.get("_i18n_memo")
        if locale is not None and memo is not None and memo[0] is locale and memo[1] is self:
            return memo[2]
        translations = super().get_translations()
        locale = getattr(state.get("_flask_babel"), "babel_locale", None)
        if locale is not None:
            state["_i18n_memo"] = (locale, self, translations)
        return translations


#: the domain :func:`init_app` installed (one Babel object serves every app of the process)
_REQUEST_DOMAIN: RequestDomain | None = None


def text(value: Any) -> str:
    """``str(value)`` for a lazy text, through the request's memo of the catalog.

    ``str()`` of a lazy text asks Flask-Babel for the domain and catalog again; labels shown
    once per row (a resident's kind) or per menu item add up. Anything but a plain
    ``lazy_gettext(msgid)`` goes the ordinary way.
    """
    if (
        _REQUEST_DOMAIN is not None
        and isinstance(value, LazyString)
        and value._func is flask_babel.gettext
        and len(value._args) == 1
        and not value._kwargs
    ):
        return _REQUEST_DOMAIN.get_translations().ugettext(value._args[0])  # type: ignore[no-any-return]
    return str(value)


def init_app(app: Flask) -> None:
    """Templates get ``content_language()`` (see there), and ``_()`` through the request's
    memo of the catalog (:class:`RequestDomain`)."""
    app.jinja_env.globals["content_language"] = content_language
    config = app.extensions["babel"]
    domain = config.instance.__dict__.get("domain_instance")
    if not isinstance(domain, RequestDomain):
        # ``domain_instance`` is a cached property of the one Babel object all apps share
        domain = RequestDomain(domain=config.default_domain)
        config.instance.__dict__["domain_instance"] = domain
    global _REQUEST_DOMAIN
    _REQUEST_DOMAIN = domain
    _translations = domain.get_translations
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
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
