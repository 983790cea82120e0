"""Without REDIS_URL the site runs on a cache that every process of the machine shares."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent

SHOW_CACHE = (
    "from newsroom import settings as s; "
    "print(s.CACHES['default']['BACKEND']); print(s.CACHES['default'].get('LOCATION'))"
)
# What publish_scheduled does to the cache once its edition is published,
# from a process of its own (cron's).
CHANGE_FROM_ANOTHER_PROCESS = (
    "import django; django.setup(); "
    "from articles.cache import ARTICLES, EDITIONS, content_changed; "
    "content_changed(keys=[ARTICLES, EDITIONS])"
)


def run(code, **env):
    # A process of its own, on the embedded defaults (no Redis, SQLite under VAR_DIR).
    environ = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "DATABASE_URL"}
    }
    environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_embedded_default_is_a_file_cache_under_var(tmp_path):
    backend, location = run(SHOW_CACHE, VAR_DIR=str(tmp_path))
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert Path(location).is_relative_to(tmp_path)


def test_redis_url_switches_to_the_redis_cache():
    backend, location = run(SHOW_CACHE, REDIS_URL="redis://cache.internal:6379/2")
    assert backend == "newsroom.caches.ResilientRedisCache"
    assert location == "redis://cache.internal:6379/2"


@pytest.mark.django_db
def test_a_change_made_by_another_process_reaches_the_pages_this_one_cached(
    paper, client, settings, tmp_path
):
    """`publish_scheduled` from cron is another process: its publication must reach the pages."""
    (_backend, location) = run(SHOW_CACHE, VAR_DIR=str(tmp_path))
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location if alias == "default" else str(tmp_path / alias),
            "KEY_PREFIX": "newsroom",
        }
        for alias in ("default", "sessions")
    }
    home = reverse("articles:home")
    client.get(home)
    with CaptureQueriesContext(connection) as cached:
        client.get(home)
    assert len(cached) == 0

    run(CHANGE_FROM_ANOTHER_PROCESS, VAR_DIR=str(tmp_path))

    with CaptureQueriesContext(connection) as rendered:
        assert client.get(home).status_code == 200
    assert len(rendered) > 0
