"""The HTTP client the tests of the production path read live answers with."""

import http.server
import threading

import pytest

from tests.perf import browser


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


def test_a_connection_keeps_the_cookies_it_was_given_even_secure_ones(server):
    connection = browser.Connection(server)
    connection.get("/login")
    assert connection.get("/page").body == b"/page sessionid=abc"


def test_no_answer_is_status_zero_not_an_exception():
    assert browser.Connection("http://127.0.0.1:9", timeout=1).get("/").status == 0
