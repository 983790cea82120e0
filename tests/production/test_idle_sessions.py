"""Staff sessions end after STAFF_IDLE_MINUTES without a request, and not while an editor works."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 27, 1, 0, tzinfo=datetime.UTC)
INDEX = reverse("admin:index")
ROOT = Path(__file__).resolve().parent.parent.parent


def at(minutes):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def editor(people):
    client = Client()
    with at(0):
        client.force_login(people["editor"])
        assert client.get(INDEX).status_code == 200
    return client


def test_an_idle_staff_session_ends_after_an_hour_by_default(editor, settings):
    assert settings.STAFF_IDLE_MINUTES == 60
    with at(59):
        assert editor.get(INDEX).status_code == 200
    with at(59 + 61):
        response = editor.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert "_auth_user_id" not in editor.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "您已 60 分钟没有操作，系统已自动退出登录，请重新登录。"
    ]


def test_logging_in_counts_as_activity(people):
    client = Client()
    with at(0):
        client.force_login(people["editor"])
    with at(61):
        assert client.get(INDEX).status_code == 302


def test_a_working_editor_stays_logged_in_for_a_whole_shift(editor):
    for minutes in range(30, 10 * 60, 30):
        with at(minutes):
            assert editor.get(INDEX).status_code == 200


def test_the_keepalive_of_an_open_page_keeps_the_session(editor):
    """Typing a long story sends no request; the page's keepalive does."""
    for minutes in range(5, 3 * 60, 5):
        with at(minutes):
            assert editor.get(reverse("keepalive")).status_code == 204
    with at(3 * 60):
        assert editor.get(INDEX).status_code == 200


def test_the_keepalive_does_not_revive_an_ended_session(editor):
    with at(61):
        assert editor.get(reverse("keepalive")).status_code == 401
    with at(62):
        assert editor.get(INDEX).status_code == 302


def test_admin_pages_load_the_keepalive_for_logged_in_users_only(editor, client):
    with at(1):
        assert b"newsroom/keepalive.js" in editor.get(INDEX).content
    assert b"newsroom/keepalive.js" not in client.get(reverse("admin:login")).content


def test_the_idle_timeout_is_configurable(editor, settings):
    settings.STAFF_IDLE_MINUTES = 15
    with at(14):
        assert editor.get(INDEX).status_code == 200
    with at(14 + 16):
        assert editor.get(INDEX).status_code == 302


def test_a_public_page_does_not_vary_on_cookies_for_readers(client):
    assert "Cookie" not in client.get(reverse("articles:home")).get("Vary", "")


def settings_of(code, **env):
    environ = {k: v for k, v in os.environ.items() if k != "STAFF_IDLE_MINUTES"}
    return subprocess.run(
        [sys.executable, "-c", f"from newsroom import settings as s; print({code})"],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
    )


def test_the_idle_timeout_comes_from_the_environment_and_is_not_below_ten_minutes():
    assert settings_of("s.STAFF_IDLE_MINUTES", STAFF_IDLE_MINUTES="30").stdout.strip() == "30"
    refused = settings_of("1", STAFF_IDLE_MINUTES="5")
    assert refused.returncode != 0
    assert "STAFF_IDLE_MINUTES must be 10 or more" in refused.stderr
