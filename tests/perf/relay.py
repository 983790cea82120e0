"""A TCP relay to a real server that a test can cut and restore, as a network fault would."""

import socket
import threading
import urllib.parse


class Relay:
    """Forward 127.0.0.1:<port> to target; cut() drops every connection and every new one.

    While cut, a new connection is accepted and closed at once (as a server
    going away does), and counted in refused, so a test can tell how often
    clients tried.
    """

    def __init__(self, target):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self.refused = 0
        self.accepted = 0
        self.lock = threading.Lock()
        self.sockets = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    @classmethod
    def to_url(cls, url):
        """Return a relay to the server of url (redis:// or postgres://), and url through it."""
        parts = urllib.parse.urlsplit(url)
        default = 6379 if parts.scheme.startswith("redis") else 5432
        relay = cls((parts.hostname or "127.0.0.1", parts.port or default))
        auth = parts.netloc.rpartition("@")[0]
        netloc = f"{auth}@127.0.0.1:{relay.port}" if auth else f"127.0.0.1:{relay.port}"
        return relay, urllib.parse.urlunsplit(parts._replace(netloc=netloc))

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                if self.is_cut:
                    self.refused += 1
                    client.close()
                    continue
                self.accepted += 1
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update([client, upstream])
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def cut(self):
        with self.lock:
            self.is_cut = True
            doomed, self.sockets = self.sockets, set()
        for sock in doomed:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def restore(self):
        with self.lock:
            self.is_cut = False

    def close(self):
        self.cut()
        self.listener.close()
