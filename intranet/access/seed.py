"""Roles described as data, for plugins' demo data (the ``intranet_demo_data`` hook).

This is role data, not demo tooling: it holds no passwords and starts no directory, so it
ships with the core and plugins reach it through ``intranet.plugin_api``. The demo loader
itself (and the demo directory with its passwords) lives in the development package
``intranet_dev``, which the runtime package does not contain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import service as access

if TYPE_CHECKING:
    from ..municipalities.models import Municipality

#: role name -> (title, permission patterns such as ``"raadsgesprekken.*"``, directory groups)
RoleSpec = tuple[str, list[str], list[str]]


def demo_group_dn(slug: str, group: str) -> str:
    """The DN of a group in the demo directory's layout (``dc=<slug>,dc=demo``)."""
    return f"cn={group},ou=groups,dc={slug},dc=demo"


def demo_roles(municipality: Municipality, roles: dict[str, RoleSpec]) -> None:
    """Create or extend roles (title, permission patterns, demo groups); idempotent.

    The demo directory's groups (``ou=groups,dc=<slug>,dc=demo``) through
    :func:`intranet.access.service.ensure_roles`, the one implementation.
    """
    access.ensure_roles(municipality, roles)
