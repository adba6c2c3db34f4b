"""Plugin ``raadsgesprekken``: council conversations."""
