"""Nothing typed is lost to an expired login or a refused post; who else is in a piece is shown."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from articles.desk import presence
from newsroom.idle import LAST_SEEN
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SESSION = "/admin/session/"


def post_json(client, data, **extra):
    return client.post(SESSION, json.dumps(data), content_type="application/json", **extra)


def test_an_open_form_asks_whether_its_login_still_holds(client, people):
    answer = client.get(SESSION).json()
    assert answer["authenticated"] is False and answer["csrf_token"]
    client.force_login(people["editor"])
    assert client.get(SESSION).json()["authenticated"] is True


def test_a_login_that_ran_idle_answers_as_expired(client, people, settings):
    client.force_login(people["editor"])
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.STAFF_IDLE_MINUTES * 60 - 5
    session.save()
    assert client.get(SESSION).json()["authenticated"] is False


def test_the_password_logs_the_person_back_in_with_a_new_token(people):
    client = Client(enforce_csrf_checks=True)
    token = client.get(SESSION).json()["csrf_token"]
    answer = post_json(
        client, {"username": "editor", "password": "secret-pass-123"}, HTTP_X_CSRFTOKEN=token
    )
    assert answer.status_code == 200
    assert answer.json()["authenticated"] is True
    assert client.get(SESSION).json()["authenticated"] is True


def test_a_wrong_password_is_refused_in_chinese_and_counted(people):
    from axes.models import AccessFailureLog

    client = Client()
    answer = post_json(client, {"username": "editor", "password": "wrong"})
    assert answer.status_code == 403
    assert answer.json() == {"error": "密码不正确。"}
    assert client.get(SESSION).json()["authenticated"] is False
    assert AccessFailureLog.objects.filter(username="editor").exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_a_malformed_login_is_a_bad_request(client, body):
    answer = client.post(SESSION, body, content_type="application/json")
    assert answer.status_code == 400


def test_a_refused_post_on_a_staff_form_hands_the_text_back_in_chinese(people, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reporter"])
    response = client.post(
        reverse("admin:articles_article_add"),
        {"headline": "没有丢的标题", "body": "一段长长的正文。", "csrfmiddlewaretoken": "stale"},
        HTTP_REFERER="http://testserver/admin/articles/article/add/",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单未能提交" in page and 'id="user-tools"' in page  # the admin's look
    assert "没有丢的标题" in page and "一段长长的正文。" in page
    assert "CSRF" not in page and "DEBUG" not in page and "Forbidden" not in page
    assert 'href="http://testserver/admin/articles/article/add/"' in page


def test_a_refused_post_on_the_public_site_gets_the_sites_page_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/", {"q": "滨江"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单未能提交" in page and "滨江" in page
    assert "CSRF" not in page and 'id="user-tools"' not in page


def test_choice_codes_are_not_handed_back_as_typed_text(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reporter"])
    response = client.post(
        reverse("admin:articles_article_add"), {"kind": "news", "headline": "标题", "section": "3"}
    )
    page = response.content.decode()
    assert ">news<" not in page and ">标题<" in page


def test_a_refused_post_never_links_back_to_another_site(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reporter"])
    response = client.post(
        reverse("admin:articles_article_add"),
        {"headline": "标题"},
        HTTP_REFERER="https://evil.example/",
    )
    assert "evil.example" not in response.content.decode()


# --- presence --------------------------------------------------------------------------


@pytest.fixture
def submitted(people):
    return ArticleFactory(status="submitted", created_by=people["reporter"])


def beat(client, article, **data):
    url = reverse("admin:articles_article_presence", args=[article.pk])
    return client.post(url, data).json()


def test_two_editors_in_one_piece_see_each_other_by_name(people, submitted):
    su, he = Client(), Client()
    su.force_login(people["editor"])
    he.force_login(people["desk_head"])
    assert beat(su, submitted)["others"] == []
    others = beat(he, submitted)["others"]
    assert [o["text"] for o in others] == ["苏文正在编辑 · 刚刚"]
    assert [o["text"] for o in beat(su, submitted)["others"]] == ["何静正在编辑 · 刚刚"]
    page = he.get(reverse("admin:articles_article_change", args=[submitted.pk])).content.decode()
    assert "苏文正在编辑 · 刚刚" in page


def test_taking_over_is_explicit_and_told_to_the_others(people, submitted):
    su, he = Client(), Client()
    su.force_login(people["editor"])
    he.force_login(people["desk_head"])
    beat(su, submitted)
    beat(he, submitted, take_over="1")
    assert beat(su, submitted)["taken_over"] == "何静已接手这篇稿件（刚刚）。"
    assert beat(he, submitted)["taken_over"] == ""


def test_the_desk_lists_show_who_has_a_piece_open(people, submitted, client):
    su = Client()
    su.force_login(people["editor"])
    beat(su, submitted)
    client.force_login(people["desk_head"])
    for name in ("admin:articles_article_changelist", "admin:articles_deskqueue_changelist"):
        assert "苏文正在编辑 · 刚刚" in client.get(reverse(name)).content.decode()
        # Nobody is shown themselves.
        assert "苏文正在编辑" not in su.get(reverse(name)).content.decode()


def test_someone_who_leaves_is_no_longer_shown(people, submitted):
    su, he = Client(), Client()
    su.force_login(people["editor"])
    he.force_login(people["desk_head"])
    beat(su, submitted)
    beat(su, submitted, leave="1")
    assert beat(he, submitted)["others"] == []


def test_minutes_are_said_the_chinese_way():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert presence.ago(125) == "2分钟前"
        assert presence.ago(3 * 3600) == "3小时前"
