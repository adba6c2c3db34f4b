"""No view without a permission check: each is @requires(...), @public or @platform_only."""

from __future__ import annotations

from intranet.access.permissions import PERMISSION_ATTR, PLATFORM_ATTR, PUBLIC_ATTR

#: Views that need no sign-in, and why.
EXPECTED_PUBLIC = {
    "auth.login",  # the sign-in page itself
    "auth.logout",  # harmless without a session
    "auth.signed_out",  # "you are signed out" after signing out under single sign-on
    "auth.sign_in_again",  # lets the proxy's header sign in again (POST, CSRF)
    "platform.home",  # the municipality chooser
    "platform.set_language",  # a display preference
    "platform.health",  # for the load balancer; reveals nothing
    "core.calendar_personal_feed",  # a calendar program subscribes; the token authenticates
    "theme.tokens",  # the municipality's design tokens: the sign-in page is themed too
    "theme.logo",  # the municipality's logo, beside its name in the page header
}


def test_every_view_declares_its_access(app) -> None:  # type: ignore[no-untyped-def]
    undeclared = []
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        if not any(hasattr(view, a) for a in (PERMISSION_ATTR, PUBLIC_ATTR, PLATFORM_ATTR)):
            undeclared.append(endpoint)
    assert undeclared == []


def test_public_views_are_the_expected_ones(app) -> None:  # type: ignore[no-untyped-def]
    public = set()
    for endpoint, view in app.view_functions.items():
        if getattr(view, PUBLIC_ATTR, False):
            public.add(endpoint)
    rules = {r.endpoint: r.rule for r in app.url_map.iter_rules()}
    plugin_public = {e for e in public if rules[e].startswith("/publiek/")}
    assert public - plugin_public == EXPECTED_PUBLIC


def test_permissions_used_by_views_are_declared(app) -> None:  # type: ignore[no-untyped-def]
    declared = set(app.extensions["intranet"].permissions)
    used = {
        getattr(v, PERMISSION_ATTR)
        for v in app.view_functions.values()
        if hasattr(v, PERMISSION_ATTR)
    }
    assert used - declared == set()
