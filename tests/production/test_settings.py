"""The production configuration, read as a production process reads it: from the environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://newsroom@db.internal:5432/newsroom",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "paper.example.com",
}

SHOW = """
import json
import django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "engine": db["ENGINE"], "conn_max_age": db["CONN_MAX_AGE"],
    "conn_health_checks": db["CONN_HEALTH_CHECKS"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "session_cache": settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"],
    "hsts": settings.SECURE_HSTS_SECONDS, "subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "preload": settings.SECURE_HSTS_PRELOAD, "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "middleware": settings.MIDDLEWARE,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""


def run(args, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith(("SECURE_", "MEDIA_", "AWS_", "CSP_"))
    }
    environ.update(env)
    environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def production_settings(**overrides):
    result = run(["-c", SHOW], **{**PRODUCTION, **overrides})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_serves_hashed_compressed_static_files_through_whitenoise():
    values = production_settings()
    assert values["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = values["middleware"]
    # Right after security (and the page cache, which answers only what it stored).
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 2


def test_development_keeps_the_plain_static_storage():
    values = production_settings(DEBUG="1")
    assert values["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_keeps_database_connections_with_health_checks():
    values = production_settings()
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] == 600
    assert values["conn_health_checks"] is True
    assert production_settings(CONN_MAX_AGE="60")["conn_max_age"] == 60


def test_production_caches_in_redis_and_keeps_sessions_in_the_database_too():
    values = production_settings()
    assert values["cache"] == "newsroom.caches.ResilientRedisCache"
    # cached_db: read from Redis, written to both; a Redis outage logs no one out.
    assert values["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert values["session_cache"] == "newsroom.caches.ResilientRedisCache"


def test_the_page_cache_answers_before_any_other_middleware():
    middleware = production_settings()["middleware"]
    assert middleware[:3] == [
        "articles.cache.PublicPageMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_production_cookies_are_secure_and_http_only_and_hsts_is_configurable():
    values = production_settings()
    assert values["session_secure"] and values["csrf_secure"]
    assert values["session_httponly"] and values["csrf_httponly"]
    assert values["ssl_redirect"]
    assert (values["hsts"], values["subdomains"], values["preload"]) == (31536000, True, False)
    changed = production_settings(
        SECURE_HSTS_SECONDS="300", SECURE_HSTS_INCLUDE_SUBDOMAINS="0", SECURE_HSTS_PRELOAD="1"
    )
    assert (changed["hsts"], changed["subdomains"], changed["preload"]) == (300, False, True)


def test_pictures_from_a_cdn_are_allowed_by_the_content_security_policy():
    values = production_settings(CSP_EXTRA_IMG_SRC="https://img.paper.example.com")
    assert values["img_src"] == ["'self'", "https://img.paper.example.com"]


# The test install includes the s3 extra (Makefile), so the S3 path is checked too.
def test_pictures_on_an_s3_domain_are_allowed_by_the_content_security_policy():
    values = production_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="paper",
        AWS_S3_CUSTOM_DOMAIN="img.paper.example.com",
    )
    assert values["img_src"] == ["'self'", "https://img.paper.example.com"]


def test_signed_picture_urls_on_aws_are_allowed_by_the_content_security_policy():
    values = production_settings(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="paper", AWS_S3_REGION_NAME="cn-north-1"
    )
    assert values["img_src"] == [
        "'self'",
        "https://paper.s3.amazonaws.com",
        "https://paper.s3.cn-north-1.amazonaws.com",
    ]


def check_deploy(**overrides):
    return run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **{**PRODUCTION, **overrides}
    )


def test_the_deployment_checks_pass_with_the_production_environment():
    result = check_deploy()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_refuse_a_cache_private_to_one_machine():
    result = check_deploy(REDIS_URL="")
    assert result.returncode != 0
    assert "newsroom.W002" in result.stderr


def test_the_deployment_checks_refuse_a_cache_private_to_each_worker(settings):
    from newsroom.checks import check_shared_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_CACHE_ALIAS = "default"
    assert [problem.id for problem in check_shared_cache(None)] == ["newsroom.E001"]


def test_the_deployment_checks_refuse_sqlite():
    result = check_deploy(DATABASE_URL="sqlite:////tmp/newsroom.sqlite3")
    assert result.returncode != 0
    assert "newsroom.W001" in result.stderr


def test_the_deployment_checks_refuse_plain_http_cookies():
    result = check_deploy(SESSION_COOKIE_SECURE="0")
    assert result.returncode != 0
    assert "security.W012" in result.stderr
