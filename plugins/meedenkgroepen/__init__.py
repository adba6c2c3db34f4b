"""Plugin ``meedenkgroepen``: think-along groups and panels."""
