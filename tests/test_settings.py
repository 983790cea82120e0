import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_settings(**env):
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.settings"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_with_a_secret_key_starts():
    assert run_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_a_misspelt_debug_value_is_refused():
    result = run_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


def test_uploads_never_go_into_the_media_app():
    media_app = (ROOT / "media").resolve()
    assert media_app not in Path(settings.MEDIA_ROOT).resolve().parents
    from newsroom import settings as project_settings

    assert project_settings.MEDIA_ROOT == project_settings.VAR_DIR / "uploads"


def test_chinese_language_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_the_test_settings_hold_with_production_services_exported():
    """With REDIS_URL exported, as on a production shell, a test can still log in."""
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "from django.contrib.sessions.backends.base import SessionBase;"
        "from importlib import import_module;"
        "store = import_module(s.SESSION_ENGINE).SessionStore();"
        "print(sorted(s.CACHES), s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], type(store).__module__)"
    )
    environ = {**os.environ, "REDIS_URL": "redis://cache.invalid:6379/0"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['default',",
        "'sessions']",
        "LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_the_task_backend_is_the_database_unless_rq_is_asked_for():
    assert settings.TASKS_BACKEND == "database"
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    result = run_settings(TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be database or rq" in result.stderr


def test_rq_without_redis_refuses_to_start():
    result = run_settings(TASKS_BACKEND="rq", REDIS_URL="", TASKS_REDIS_URL="")
    assert result.returncode != 0
    assert "TASKS_BACKEND=rq needs REDIS_URL" in result.stderr
