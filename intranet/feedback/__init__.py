"""Terugkoppeling: what participants contributed across all plugins and what was done with it."""
