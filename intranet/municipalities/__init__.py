"""Municipalities (the tenants) and which plugins each one has enabled."""
