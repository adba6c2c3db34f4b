"""Plugin ``adviescommissie``: advisory committee."""
