"""Roles, permissions and who holds them in each municipality."""
