"""A TCP forwarder that can turn into a black hole: connections accepted, never answered.

That is what a hanging database looks like from the app (a frozen server, a firewall that
swallows packets after the handshake): nothing is refused, nothing comes back. A refused
connection fails at once; this one only ends by a timeout, which is what the tests check.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class HangingProxy:
    """Forwards 127.0.0.1:``port`` to the target until :meth:`hang`, then swallows everything."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.hanging = False
        #: connections accepted while hanging (each one a client left waiting)
        self.swallowed = 0
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def hang(self) -> None:
        """From now on accept and never answer; open connections are cut (the server froze
        and its connections were reset), so the next use of each opens a new one."""
        self.hanging = True
        self._cut(self._conns)

    def resume(self) -> None:
        """Forward again (the database is back); the swallowed connections are closed."""
        self.hanging = False
        self._cut(self._held)

    def stop(self) -> None:
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
            self._server = None
        self._cut(self._conns)
        self._cut(self._held)

    def _cut(self, conns: list[socket.socket]) -> None:
        with self._lock:
            for conn in conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    conn.close()
            conns.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            if self.hanging:
                with self._lock:
                    self._held.append(client)  # accepted, read by nobody, answered never
                    self.swallowed += 1
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
