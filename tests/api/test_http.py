"""HTTP done right: validators and 304, caching, CORS, JSON errors, read-only."""

import pytest
from django.utils.http import http_date

from articles import services, workflow
from tests.api.conftest import published_article, published_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit hooks (the public cache version bump) as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.mark.parametrize("kind", ["list", "detail", "edition", "editions"])
def test_a_current_copy_gets_304_and_a_change_a_new_etag(api, people, on_commit, kind):
    article = on_commit(published_article, people)
    edition = on_commit(published_edition, people)
    url = {
        "list": "/api/v1/articles/",
        "detail": f"/api/v1/articles/{article.pk}/",
        "edition": f"/api/v1/editions/{edition.date:%Y-%m-%d}/",
        "editions": "/api/v1/editions/",
    }[kind]
    first = api(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')

    again = api(url, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Browsers keep it a minute; shared caches until it changes (they are purged).
    assert again["Cache-Control"] == first["Cache-Control"] == "public, max-age=60, s-maxage=600"

    # Something else changes: copy on no page, an edition of another day.
    elsewhere = on_commit(published_article, people)
    if kind == "editions":
        on_commit(services.correct, elsewhere, user=people["editor"], note="更正")
    else:
        on_commit(published_edition, people, date=edition.date.replace(year=2001))
    if kind in ("detail", "edition", "editions"):
        assert api(url, if_none_match=etag).status_code == 304

    # What it shows changes: a correction of its copy, a new edition for the list.
    if kind == "editions":
        on_commit(published_edition, people, date=edition.date.replace(year=2002))
    else:
        on_edition = edition.pages.get().articles.get() if kind == "edition" else article
        on_commit(services.correct, on_edition, user=people["editor"], note="更正")
    assert api(url, if_none_match=etag).status_code == 200


def test_the_etag_differs_between_pages_and_filters(api, people):
    for _ in range(3):
        published_article(people)
    etags = {
        api(url)["ETag"]
        for url in [
            "/api/v1/articles/",
            "/api/v1/articles/?page_size=1",
            "/api/v1/articles/?page_size=1&page=2",
            "/api/v1/articles/?kind=news",
        ]
    }
    assert len(etags) == 4


def test_an_edit_changes_the_etag_of_the_article_and_the_list(api, people):
    from django.urls import reverse

    from tests.newsroom import client_for, form_data

    article = published_article(people)
    list_etag = api("/api/v1/articles/")["ETag"]
    detail_etag = api(f"/api/v1/articles/{article.pk}/")["ETag"]
    edited = client_for(people["editor"]).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, headline="改过的标题", correction="标题有误，已改正。"),
    )
    assert edited.status_code == 302
    assert api("/api/v1/articles/", if_none_match=list_etag).status_code == 200
    assert api(f"/api/v1/articles/{article.pk}/", if_none_match=detail_etag).status_code == 200


def test_last_modified_and_if_modified_since(api, people):
    article = published_article(people)
    response = api(f"/api/v1/articles/{article.pk}/")
    assert response["Last-Modified"] == http_date(article.updated_at.timestamp())
    since = response["Last-Modified"]
    assert api(f"/api/v1/articles/{article.pk}/", if_modified_since=since).status_code == 304
    older = http_date(article.updated_at.timestamp() - 60)
    assert api(f"/api/v1/articles/{article.pk}/", if_modified_since=older).status_code == 200


def test_a_withdrawal_moves_the_lists_last_modified_on(api, people):
    """The list's newest row stays the same when another leaves it; its date must not."""
    import time_machine

    with time_machine.travel("2026-11-01 10:00 +0800", tick=False):
        published_article(people)
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        doomed = published_article(people, kind="brief")
        since = api("/api/v1/articles/?kind=news")["Last-Modified"]
    with time_machine.travel("2026-11-03 10:00 +0800", tick=False):
        workflow.transition(doomed, "withdraw", user=people["editor"], note="撤稿")
        response = api("/api/v1/articles/?kind=news", if_modified_since=since)
    assert response.status_code == 200


def test_cache_control_on_answers(api, people, settings):
    settings.API_CACHE_SECONDS = 300
    article = published_article(people)
    answer = api(f"/api/v1/articles/{article.pk}/")
    assert answer["Cache-Control"] == "public, max-age=300, s-maxage=600"


def test_cors_for_configured_origins(api, people, settings, client):
    settings.API_CORS_ORIGINS = ["https://partner.example"]
    published_article(people)

    allowed = api("/api/v1/articles/", origin="https://partner.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Origin" in allowed["Vary"]

    other = api("/api/v1/articles/", origin="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in other["Vary"]

    # Errors are readable across origins too.
    missing = api("/api/v1/articles/999/", origin="https://partner.example")
    assert missing["Access-Control-Allow-Origin"] == "https://partner.example"


def test_cors_preflight_allows_conditional_gets(people, settings, client):
    settings.API_CORS_ORIGINS = ["https://partner.example"]
    response = client.options(
        "/api/v1/articles/",
        headers={
            "origin": "https://partner.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]

    refused = client.options("/api/v1/articles/", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Methods" not in refused


def test_cors_for_any_origin(api, people, settings):
    settings.API_CORS_ORIGINS = ["*"]
    response = api("/api/v1/articles/", origin="https://anyone.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_cors_by_default(api, db):
    assert "Access-Control-Allow-Origin" not in api("/api/v1/articles/", origin="https://a.example")


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/articles/999999/", 404),
        ("/api/v1/editions/1999-01-01/", 404),
        ("/api/v1/editions/2022-02-30/", 404),
        ("/api/v1/articles/abc/", 404),
        ("/api/v1/photos/", 404),
        ("/api/v1/", 404),
    ],
)
def test_errors_are_json_problems(api, db, url, status):
    response = api(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] == "Not Found"
    assert problem["detail"]


def test_a_missing_slash_redirects_to_the_endpoint(client, db):
    response = client.get("/api/v1/articles")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/"


def test_error_messages_follow_the_readers_language(client, db):
    chinese = client.get("/api/v1/articles/?status=draft").json()
    english = client.get("/api/v1/articles/?status=draft", headers={"accept-language": "en"}).json()
    assert english["detail"].startswith("Unknown query parameters: status.")
    assert "status" in chinese["detail"]
    assert chinese["detail"] != english["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, people, method):
    article = published_article(people)
    response = getattr(client, method)(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["status"] == 405


def test_head_answers_like_get_without_a_body(client, people):
    article = published_article(people)
    response = client.head(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    assert response["ETag"]
    assert response.content == b""
