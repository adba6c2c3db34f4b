"""Signed links for residents: a single-use answer link and a one-click unsubscribe link.

Both are signed with the app's SECRET_KEY (itsdangerous), each with its own salt, and carry
the municipality id so a link of one municipality never works under another's address.
Single use: the answer view marks the invitation answered in one conditional UPDATE.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

ANSWER_SALT = "meedenkgroepen.answer-link"
UNSUBSCRIBE_SALT = "meedenkgroepen.unsubscribe-link"
#: an answer link is refused after this many days, even if the questionnaire is still open
DEFAULT_MAX_AGE_DAYS = 120
#: unsubscribing must keep working for a long time ("stoppen kan altijd")
UNSUBSCRIBE_MAX_AGE_DAYS = 5 * 365


class TokenError(Exception):
    """The link is invalid (tampered), expired, or belongs elsewhere."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid" | "expired"


@dataclass(frozen=True)
class TokenData:
    municipality_id: int
    ident: int


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_answer_token(municipality_id: int, invitation_id: int) -> str:
    return _serializer(ANSWER_SALT).dumps({"m": municipality_id, "i": invitation_id})


def make_unsubscribe_token(municipality_id: int, member_id: int) -> str:
    return _serializer(UNSUBSCRIBE_SALT).dumps({"m": municipality_id, "p": member_id})


def _load(salt: str, token: str, max_age_days: int, key: str) -> TokenData:
    if not token or len(token) > 500:
        raise TokenError("invalid")
    try:
        data = _serializer(salt).loads(token, max_age=max_age_days * 86400)
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:
        raise TokenError("invalid") from exc
    try:
        return TokenData(int(data["m"]), int(data[key]))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenError("invalid") from exc


def load_answer_token(token: str) -> TokenData:
    days = int(current_app.config.get("MEEDENKGROEPEN_LINK_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))
    return _load(ANSWER_SALT, token, days, "i")


def load_unsubscribe_token(token: str) -> TokenData:
    return _load(UNSUBSCRIBE_SALT, token, UNSUBSCRIBE_MAX_AGE_DAYS, "p")
