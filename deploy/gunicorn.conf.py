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
# The master imports the app once and forks the workers from it: a worker replaced after
# max_requests starts in milliseconds instead of importing everything again (about a second of
# CPU each time), and the workers share the code's memory. Each worker still opens its own
# database, directory and Redis connections (intranet.extensions.drop_connections_after_fork).
# A new release therefore needs a restart (systemctl restart intranet): a reload (HUP) forks
# new workers from the code the master already holds.
preload_app = True
forwarded_allow_ips = os.environ.get("INTRANET_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):  # type: ignore[no-untyped-def]
    """Refuse several workers without shared storage for the sign-in limits.

    Memory storage counts per worker process: five workers would allow five times the
    documented sign-in attempts. The app checks the same (INTRANET_WORKER_PROCESSES).
    """
    n = server.cfg.workers
    production = os.environ.get("INTRANET_ENV", "production") == "production"
    if production and n > 1 and not os.environ.get("INTRANET_REDIS_URL"):
        raise RuntimeError(
            f"{n} gunicorn workers without INTRANET_REDIS_URL: the sign-in limits would count "
            "per worker and allow several times the documented attempts. Set "
            "INTRANET_REDIS_URL (shared storage), or run one worker with threads "
            "(INTRANET_WORKERS=1 INTRANET_THREADS=8)."
        )
    os.environ["INTRANET_WORKER_PROCESSES"] = str(n)
