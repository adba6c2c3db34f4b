"""Entry point for gunicorn and the ``flask`` command: ``app = create_app()``.

A configuration error (for example a weak secret key in production) is an operator's mistake,
not a bug: print the message alone, without a traceback, and exit non-zero. Exit status 4 is
gunicorn's "app failed to load", so gunicorn stops instead of restarting workers forever.
"""

import sys

from intranet import create_app
from intranet.config import ConfigurationError

#: gunicorn's Arbiter.APP_LOAD_ERROR
CONFIGURATION_ERROR_EXIT = 4

try:
    app = create_app()
except ConfigurationError as exc:
    print(f"Configuratiefout: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(CONFIGURATION_ERROR_EXIT) from None
