"""The baseline for ``bench/login.py``: the least a Flask app must do to sign someone in.

A minimal app with the same stack as the intranet (Flask, Flask-Login, ldap3): the POST reads
the form, does search-then-bind against the same slapd (a service bind, one search with the
user name escaped, a bind as the found entry, on new connections, as a simple app would) and
calls ``login_user``. No employee record, no roles, no audit, no rate limit: what the
intranet adds on top of this is what ``post_over_bare`` measures.
"""

from __future__ import annotations

from flask import Flask, abort, redirect, request
from flask_login import LoginManager, UserMixin, login_user
from ldap3 import NONE, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars


class _User(UserMixin):
    def __init__(self, dn: str) -> None:
        self.id = dn


def create_app(ldap_url: str, people_base: str, service_dn: str, service_password: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = "bare-login-benchmark-only"
    manager = LoginManager(app)
    manager.user_loader(_User)

    @app.post("/login")
    def login():  # type: ignore[no-untyped-def]
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if not username or not password:
            abort(401)
        server = Server(ldap_url, get_info=NONE)
        service = Connection(server, service_dn, service_password)
        try:
            if not service.bind():
                abort(503)
            service.search(
                people_base,
                f"(&(objectClass=inetOrgPerson)(uid={escape_filter_chars(username)}))",
                SUBTREE,
                attributes=["uid", "cn", "mail", "memberOf"],
                size_limit=2,
            )
            entries = [e for e in service.response if e.get("type") == "searchResEntry"]
        finally:
            service.unbind()
        if len(entries) != 1:
            abort(401)
        user = Connection(server, entries[0]["dn"], password)
        try:
            if not user.bind():
                abort(401)
        finally:
            user.unbind()
        login_user(_User(entries[0]["dn"]))
        return redirect("/")

    return app
