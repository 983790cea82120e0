"""Security in the request cycle: CSP, CSRF on every state-changing admin action, throttled logins."""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, Edition
from newsroom.security import client_ip
from people.roles import Role
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
LOGIN = reverse("admin:login")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csp(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def test_public_pages_and_the_admin_carry_a_strict_content_security_policy(admin_client):
    for url in [reverse("articles:home"), reverse("admin:index")]:
        policy = csp(admin_client.get(url))
        assert policy["default-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy["script-src"] + policy["style-src"]
        assert "unsafe-eval" not in policy["script-src"]


def test_a_cached_public_page_carries_no_nonce_from_another_response(client):
    """A page served from the shared cache must not pin a nonce it was rendered with."""
    first = client.get(reverse("articles:home"))
    second = client.get(reverse("articles:home"))
    assert "nonce-" not in first["Content-Security-Policy"]
    assert "nonce-" not in second["Content-Security-Policy"]
    assert b"nonce=" not in second.content


def test_the_frame_type_and_referrer_headers_are_set(client):
    response = client.get(reverse("articles:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


# --- CSRF: every state-changing action of the admin refuses a forged POST ----------


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_from(client, url):
    """Open url as the user would and return the form's CSRF token."""
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def role_user(username, role):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    PersonFactory(user=user)
    return user


@pytest.fixture
def submitted():
    article = ArticleFactory(status=Article.Status.SUBMITTED, headline="待审稿件")
    BylineFactory(article=article)
    return article


@pytest.fixture
def signed_off():
    edition = EditionFactory(status=Edition.Status.SIGNED_OFF)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    article = ArticleFactory(page=page, position=1, status=Article.Status.APPROVED)
    BylineFactory(article=article)
    return edition


def test_a_workflow_step_without_the_csrf_token_is_refused_and_changes_nothing(submitted):
    client = csrf_client(role_user("desk", Role.EDITOR))
    change = reverse("admin:articles_article_change", args=[submitted.pk])
    url = reverse("admin:articles_article_workflow", args=[submitted.pk])
    assert client.post(url, {"_workflow": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.SUBMITTED

    token = token_from(client, change)
    response = client.post(url, {"_workflow": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.APPROVED


def test_publishing_an_edition_without_the_csrf_token_is_refused(signed_off):
    client = csrf_client(role_user("chief", Role.CHIEF_EDITOR))
    url = reverse("admin:articles_edition_planner", args=[signed_off.pk])
    assert client.post(url, {"action": "publish"}).status_code == 403
    signed_off.refresh_from_db()
    assert signed_off.status == Edition.Status.SIGNED_OFF
    assert not Article.objects.published().exists()

    token = token_from(client, url)
    client.post(url, {"action": "publish", "csrfmiddlewaretoken": token})
    signed_off.refresh_from_db()
    assert signed_off.status == Edition.Status.PUBLISHED


def test_saving_an_article_without_the_csrf_token_is_refused(superuser):
    article = ArticleFactory(headline="原标题")
    client = csrf_client(superuser)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "kind": "news",
        "headline": "伪造的标题",
        "base_version": str(article.version),
        **{
            f"{prefix}-{field}": "0"
            for prefix in ["bylines", "article_photos", "corrections", "transitions"]
            for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
        },
    }
    assert client.post(url, data).status_code == 403
    article.refresh_from_db()
    assert article.headline == "原标题"

    data["csrfmiddlewaretoken"] = token_from(client, url)
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "伪造的标题"


def test_deleting_from_the_article_list_without_the_csrf_token_is_refused(superuser):
    article = ArticleFactory()
    client = csrf_client(superuser)
    url = reverse("admin:articles_article_changelist")
    data = {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    assert client.post(url, data).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_logging_out_without_the_csrf_token_is_refused(superuser):
    client = csrf_client(superuser)
    assert client.post(reverse("admin:logout")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200  # still logged in


# --- throttled login ------------------------------------------------------------


def login(client, username, password, **extra):
    """Post the admin login form as a browser would, token and all."""
    token = token_from(client, LOGIN)
    return client.post(
        LOGIN,
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        **extra,
    )


@pytest.fixture
def editor_account():
    return UserFactory(username="editor-y", password=PASSWORD)


def test_the_login_form_refuses_a_post_without_the_csrf_token(editor_account):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "editor-y", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_guessing_is_locked_out_then_allowed_again_after_the_cool_off(
    settings, editor_account
):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "editor-y", "wrong-guess").status_code == 200  # the form again
    locked = login(client, "editor-y", "wrong-guess")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert login(client, "editor-y", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    later = datetime.datetime.now(tz=datetime.UTC) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        assert login(client, "editor-y", PASSWORD).status_code == 302


def test_a_lockout_is_for_one_account_from_one_address(settings, editor_account):
    UserFactory(username="colleague", password=PASSWORD)
    guesser = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(guesser, "editor-y", "wrong-guess")
    assert login(guesser, "editor-y", PASSWORD).status_code == 429
    # A colleague behind the same office address still logs in...
    assert login(Client(enforce_csrf_checks=True), "colleague", PASSWORD).status_code == 302
    # ...and so does the account's owner from another address.
    owner = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    assert login(owner, "editor-y", PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_mistakes(settings, editor_account):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "editor-y", "typo")
    assert login(client, "editor-y", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="editor-y", failures_since_start__gt=0)


def test_the_client_address_is_read_through_the_trusted_proxies_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # not what the client wrote first
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: not believed
