"""Entry point for gunicorn and the ``flask`` command: ``app = create_app()``."""

from intranet import create_app

app = create_app()
