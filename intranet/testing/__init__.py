"""Test support that the core and every plugin's own tests share.

``pytest_plugin`` is registered as a pytest plugin (entry point ``pytest11``), so a plugin's
tests anywhere (``plugins/<name>/tests/`` or a package installed from outside) get the real
slapd, database and app fixtures without a conftest of their own. ``helpers`` signs in and
posts forms with CSRF tokens.
"""
