"""The production WSGI handler resolves each path once per process, and answers as Django's."""

import pytest
from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler
from django.test import RequestFactory

from newsroom import handlers

from .conftest import publish

pytestmark = pytest.mark.django_db


def answer(handler, path):
    environ = RequestFactory().get(path, secure=True).environ
    started = {}
    body = handler(environ, lambda status, headers, exc_info=None: started.update(s=status))
    try:
        return started["s"], b"".join(body)
    finally:
        body.close()


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
