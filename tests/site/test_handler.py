"""The production WSGI handler resolves each path once per process, and answers as Django's."""

import pytest
from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from newsroom import handlers

from .conftest import publish

pytestmark = pytest.mark.django_db


def answer(handler, path):
    """Return (status, body) of handler's answer to a GET of path.

    As Django's test client does, the test's database connection is left
    open: closing it at the end of a request would end the test's transaction.
    """
    environ = RequestFactory().get(path, secure=True).environ
    started = {}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = handler(environ, lambda status, headers, exc_info=None: started.update(s=status))
        try:
            return started["s"], b"".join(body)
        finally:
            body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def resolve():
    handlers.resolve.cache_clear()
    yield handlers.resolve
    handlers.resolve.cache_clear()


def test_a_path_is_resolved_once_and_answered_as_djangos_handler_does(resolve, settings):
    settings.PUBLIC_PAGE_CACHE = False  # every answer rendered
    url = publish(headline="我市召开信访工作会议").get_absolute_url()
    ours = handlers.WSGIHandler()
    first, again = answer(ours, url), answer(ours, url)
    assert first[0] == again[0] == "200 OK"
    assert first == again == answer(DjangoWSGIHandler(), url)
    assert "我市召开信访工作会议" in first[1].decode()
    assert (resolve.cache_info().misses, resolve.cache_info().hits) == (1, 1)


def test_a_path_that_matches_nothing_is_not_kept(resolve):
    handler = handlers.WSGIHandler()
    assert answer(handler, "/no-such-page/")[0] == "404 Not Found"
    assert answer(handler, "/no-such-page/")[0] == "404 Not Found"
    assert resolve.cache_info().currsize == 0


def test_a_new_url_configuration_forgets_what_paths_resolved_to(resolve, settings):
    handler = handlers.WSGIHandler()
    assert answer(handler, "/healthz")[0] == "200 OK"
    settings.ROOT_URLCONF = "tests.site.urls_without_probes"
    assert answer(handler, "/healthz")[0] == "404 Not Found"
