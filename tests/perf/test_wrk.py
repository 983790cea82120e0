"""The benchmark's load generator: a search row asks a different word with every request."""

import http.server
import threading
import urllib.parse

import pytest

from tests.perf import liveserver, wrk

pytestmark = pytest.mark.skipif(wrk.missing() is not None, reason="wrk is not installed")


class Recorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # wrk drops its connections when its time is up


def test_every_request_of_a_distinct_words_load_asks_another_word():
    words = [urllib.parse.quote(f"词{n}") for n in range(5000)]
    server = Server(("127.0.0.1", liveserver.free_port()), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen = []
    try:
        result = wrk.run(
            f"http://127.0.0.1:{server.server_port}/search/?q=x",
            threads=2,
            connections=2,
            seconds=1,
            paths=[f"/search/?q={w}" for w in words],
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.requests > 10 and result.errors == 0
    asked = Recorder.seen[: min(len(Recorder.seen), len(words))]
    assert len(set(asked)) == len(asked)  # no word twice while the list lasts
    assert set(asked) <= {f"/search/?q={w}" for w in words}
