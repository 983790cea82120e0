"""The load balancer's probes, and what readers get while the database is away."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse

from articles.site import views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_pages():
    """The home page must be rendered, not served from an earlier test's cache."""
    cache.clear()  # local memory in the tests


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_answers_ready_when_the_database_and_the_cache_answer(client):
    response = client.get(reverse("readyz"))
    assert (response.status_code, response.content) == (200, b"ready\n")
    assert response["Cache-Control"] == "no-store"


def test_readyz_names_the_database_when_it_does_not_answer(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("readyz"))
    assert (response.status_code, response.content) == (503, b"unavailable: database\n")


def test_a_page_that_cannot_reach_the_database_answers_503_and_to_retry(client, monkeypatch):
    def refuse(self, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views.HomeView, "get_context_data", refuse)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "网站暂时无法访问" in response.content.decode()


def test_other_errors_stay_server_errors(client, monkeypatch):
    def fail(self, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.HomeView, "get_context_data", fail)
    client.raise_request_exception = False
    assert client.get(reverse("articles:home")).status_code == 500


def test_staff_get_the_same_503_when_the_database_goes_away_before_any_view(
    client, superuser, monkeypatch
):
    """The idle timeout reads the session and the user before any view: that answers 503 too."""
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(superuser)

    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)
    client.raise_request_exception = False
    for url in [reverse("admin:index"), reverse("articles:home")]:
        response = client.get(url)
        assert (response.status_code, response["Retry-After"]) == (503, "5")
        assert "网站暂时无法访问" in response.content.decode()
