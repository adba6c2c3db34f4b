"""gunicorn settings for production; every value can be overridden on the command line."""

import multiprocessing
import os

# Where only the reverse proxy can reach the app. With single sign-on the proxy's address as
# gunicorn sees it must be in trusted_proxies: 127.0.0.1 with this default; bound to "[::]:8000"
# an IPv4 proxy arrives as ::ffff:127.0.0.1, which the app compares as 127.0.0.1 (docs/sso.md).
bind = os.environ.get("INTRANET_BIND", "127.0.0.1:8000")
# Stateless workers: scale with cores here, and with more machines behind the load balancer.
workers = int(os.environ.get("INTRANET_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("INTRANET_THREADS", "2"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The app must not be imported before forking: each worker opens its own database pool.
preload_app = False
forwarded_allow_ips = os.environ.get("INTRANET_FORWARDED_ALLOW_IPS", "127.0.0.1")
