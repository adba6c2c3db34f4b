"""Dutch by default; an employee may switch to English for the session."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session


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
