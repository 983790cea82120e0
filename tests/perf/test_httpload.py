"""The load generator the benchmark and the load test read their figures from."""

import http.server
import threading

import pytest

from tests.perf import httpload


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_GET(self):
        body = f"{self.path} {self.headers.get('Cookie', '')}".encode()
        status = 500 if self.path == "/broken" else 200
        self.send_response(status)
        if self.path == "/login":
            self.send_header("Set-Cookie", "sessionid=abc; HttpOnly; Secure; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert httpload.percentile(values, 0.5) == 50
    assert httpload.percentile(values, 0.99) == 99
    assert httpload.percentile([7], 0.99) == 7


def test_a_connection_keeps_the_cookies_it_was_given_even_secure_ones(server):
    connection = httpload.Connection(server)
    connection.get("/login")
    assert connection.get("/page").body == b"/page sessionid=abc"


def test_no_answer_is_status_zero_not_an_exception():
    assert httpload.Connection("http://127.0.0.1:9", timeout=1).get("/").status == 0


def test_a_load_run_counts_answers_rates_and_server_errors(server):
    paths = httpload.paths_from(["/a", "/b", "/broken"])
    stats = httpload.hammer(server, paths, concurrency=3, duration=0.5, label="x")
    assert stats.count > 30
    assert set(stats.statuses) == {200, 500}
    assert len(stats.failures) == stats.statuses[500]
    assert stats.rps > 0 and 0 < stats.latency_ms(0.5) <= stats.latency_ms(0.99)
