"""Reach: the municipality's groups that are normally not heard, and how many of them took part."""
