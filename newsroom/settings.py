"""Settings for Newsroom, read from the environment.

With nothing set, the site runs locally on SQLite under var/. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see the README.
"""

import datetime
import importlib.util
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Everything the site writes at run time lives here, never in the source tree.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Fail at start, not at the first signed cookie.
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "newsroom.apps.NewsroomConfig",
    "people",
    "media",
    "articles",
]

MIDDLEWARE = [
    # The security headers first, so that every answer has them: the 400 of a
    # malformed request and the 503 of a database outage come from the
    # middleware below, before any view.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the settings' policy built once (not for every response).
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # NUL bytes get the 400 page here, before sessions, views or the database.
    "newsroom.malformed.MalformedRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, without looking for a language in paths (no URL carries one).
    "newsroom.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with the storage made when a message is added or read (public pages never do).
    "newsroom.middleware.LazyMessageMiddleware",
    # After authentication and messages: logs out sessions idle too long, saying why.
    "newsroom.idle.IdleTimeoutMiddleware",
    # django-axes wants to be last: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # collectstatic's output is answered here, before sessions, locale or the
    # database; in development runserver serves the source folders itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Cached public pages are answered first, before everything a hit does not
# need (articles/cache.py). They are stored with the headers every other
# middleware gave them (HSTS, nosniff, CSP …), so a hit answers alike; only
# https answers are stored, so the HTTPS redirect still applies to http.
MIDDLEWARE.insert(0, "articles.cache.PublicPageMiddleware")
# And in production, fresh cached pages are answered before Django builds a
# request at all (newsroom/wsgi.py): a hit costs one cache read and little else.
WSGI_FRONT = ["articles.cache.serve_hits"]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out one before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.site.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

_default_database = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"
if _default_database.startswith("sqlite:///") and not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _default_database,
        # Production keeps each worker's connection (see "Production" below);
        # the health check before reuse lets it survive a database restart.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has two writers, the server and the task worker
    # beside it (make run): write-ahead logging lets readers go on while one
    # writes, a transaction takes the write lock when it starts (so two never
    # deadlock upgrading), and a writer waits for the lock rather than failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Loaded once in gunicorn's master before it forks its workers
# (newsroom/gunicorn.conf.py): jieba's dictionary (search, tag suggestions)
# takes a second or two and tens of MiB.
WORKER_PRELOAD = ["articles.search.tokens.jieba"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Our app is called "media", so uploads must never default into it.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))

# django-taggit: tags are Chinese words; keep their slugs in Chinese (信访).
TAGGIT_CASE_INSENSITIVE = True

NEWSPAPER_NAME = os.environ.get("NEWSPAPER_NAME", "滨江日报")

# --- Notifications by e-mail (articles/notifications.py; README "Notifications") --
# Sent by a background job once each step commits (articles/desk/tasks.py), to
# people with an address who did not turn e-mail off; a send that fails is
# tried NOTIFY_EMAIL_ATTEMPTS times in all, waiting NOTIFY_EMAIL_BACKOFF_SECONDS,
# then twice that, and so on, and is then shown as failed in the person's
# notifications. The console by default (printed on stderr); set EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST… for real mail.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
NOTIFY_EMAIL_ATTEMPTS = int(os.environ.get("NOTIFY_EMAIL_ATTEMPTS", "5"))
NOTIFY_EMAIL_BACKOFF_SECONDS = float(os.environ.get("NOTIFY_EMAIL_BACKOFF_SECONDS", "30"))

# --- Photos -------------------------------------------------------------------
# Uploads are refused over these limits (see media/images.py). The pixel limit
# never exceeds Pillow's decompression-bomb threshold (about 89 megapixels).
PHOTO_MAX_UPLOAD_SIZE = int(os.environ.get("PHOTO_MAX_UPLOAD_MB", "20")) * 1024 * 1024
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_MEGAPIXELS", "60")) * 1_000_000
# Web renditions: these widths (never wider than the picture), WebP and JPEG each.
PHOTO_RENDITION_WIDTHS = [320, 640, 1024, 1600]
PHOTO_JPEG_QUALITY = 82
PHOTO_WEBP_QUALITY = 80
# A photo's files are public only while it appears on copy readers may see;
# until then only staff who may see photos get them. media.views.serve asks,
# on each request, the articles app's rule (media never imports articles).
PHOTOS_ON_PUBLISHED_COPY = "articles.selectors.photos_on_published_copy"
# Behind nginx, the prefix of an internal location that sends the files once
# Django has said yes (X-Accel-Redirect), e.g. /protected-media/; empty, Django
# streams them itself (README, "Photos").
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not (
    MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL_REDIRECT must start and end with /, not {MEDIA_ACCEL_REDIRECT!r}."
    )

# Where uploads are kept: local disk under MEDIA_ROOT, or MEDIA_STORAGE=s3 for
# an S3-compatible store through django-storages (pip install '.[s3]').
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "local":
    _media_storage: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs django-storages: pip install 'newsroom[s3]'."
        )
    # Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY, or the instance's role), never from this file.
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            # The bucket is private: media.views.serve checks who may see a
            # photo, then redirects to a signed URL that lasts this long.
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, max-age=300"},
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _media_storage,
    # With DEBUG off, whitenoise serves collectstatic's output: hashed names
    # (cached for ever by browsers and CDNs) and gzip copies. Development and
    # the tests keep the plain storage, which needs no collectstatic.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-paper (articles/epaper/; README "E-paper") ------------------------------
# Whether the paper publishes its e-paper: then every page of an edition needs
# its PDF before sign-off (the preflight refuses it otherwise, or readers get
# empty tiles). Off (EPAPER=0): a web-only paper, whose planner says so.
EPAPER = env_bool("EPAPER", True)
# Page PDFs over this size are refused; each is drawn as WebP at these widths
# and as a thumbnail for the page navigation.
EPAPER_MAX_PDF_SIZE = int(os.environ.get("EPAPER_MAX_PDF_MB", "40")) * 1024 * 1024
# What a page PDF may ask for before anything is drawn (articles/epaper/render.py):
# a page between these sizes in points (A5 to twice a broadsheet), drawn at the
# widest web width into at most this many pixels (which bounds how tall a page
# may be for its width; a 50 × 5,000 pt strip would be 256 megapixels).
EPAPER_PAGE_POINTS = (200, 3000)
EPAPER_MAX_PIXELS = int(float(os.environ.get("EPAPER_MAX_MEGAPIXELS", "8")) * 1_000_000)
# Drawing and locating run in a child process under these caps
# (articles/epaper/isolation.py): a PDF that needs more fails its job, not the worker.
EPAPER_JOB_SECONDS = int(os.environ.get("EPAPER_JOB_SECONDS", "30"))
EPAPER_JOB_MEMORY = int(os.environ.get("EPAPER_JOB_MEMORY_MB", "320")) * 1024 * 1024
# Where an editor's request does it itself (the page form's upload until the
# admin shows the job's progress; locating again): shorter, to end well
# before gunicorn's timeout (GUNICORN_TIMEOUT, 30 s) even when two uploads to
# one edition wait for each other (the page form holds the edition's lock).
EPAPER_INLINE_SECONDS = int(os.environ.get("EPAPER_INLINE_SECONDS", "10"))
# A printed page holds some thousands of text runs and pictures, and at most
# some tens of thousands of characters; more is not a page.
EPAPER_MAX_PAGE_OBJECTS = int(os.environ.get("EPAPER_MAX_PAGE_OBJECTS", "100000"))
EPAPER_MAX_PAGE_CHARS = int(os.environ.get("EPAPER_MAX_PAGE_CHARS", "100000"))
EPAPER_PAGE_WIDTHS = [800, 1600]
EPAPER_THUMBNAIL_WIDTH = 240
EPAPER_WEBP_QUALITY = 82

# --- Public site / cache ----------------------------------------------------
# Rendered public pages, feeds, sitemaps and API answers are cached whole
# (articles/cache.py), each dropped when the content it shows changes. The
# cache must be one that every process shares, or a withdrawal made by one
# worker (or by `publish_scheduled` from cron) would not reach the others:
# Redis when REDIS_URL is set (production, several servers), else a file
# cache under var/ that every process of this machine shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
# A Redis that stops answering must cost one request a fraction of a second,
# never a server error: newsroom.caches answers as an empty cache meanwhile
# and tries Redis again after RETRY_SECONDS.
_REDIS_OPTIONS = {
    "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
    "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
    "RETRY_SECONDS": float(os.environ.get("REDIS_RETRY_SECONDS", "2")),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.caches.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": _REDIS_OPTIONS,
        },
        # Sessions are kept in the database and cached here (cached_db): any
        # app server can answer any editor, and neither a Redis outage nor an
        # eviction logs anyone out. SESSION_REDIS_URL gives them a Redis of their own.
        "sessions": {
            "BACKEND": "newsroom.caches.ResilientRedisCache",
            "LOCATION": os.environ.get("SESSION_REDIS_URL") or REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-sessions",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
else:
    _CACHE_DIR = Path(os.environ.get("CACHE_DIR", VAR_DIR / "cache"))
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_CACHE_DIR / alias),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
        for alias in ("default", "sessions")
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
# Off, every public page is rendered for each request (measuring rendering;
# a setup where only Varnish keeps pages).
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
# Longest time a rendered page is kept; scheduled publications shorten it.
PUBLIC_CACHE_TIMEOUT = int(os.environ.get("PUBLIC_CACHE_TIMEOUT", "600"))
# Pages larger than this are rendered each time rather than kept (a whole
# sitemap page of 50,000 URLs is several MiB).
PUBLIC_CACHE_MAX_BYTES = int(os.environ.get("PUBLIC_CACHE_MAX_KIB", "1024")) * 1024
# Each app server process also keeps the pages it answers most, while Redis
# watches their versions for it (articles/cache.py): a hit then costs no
# round trip. Per process; 0 turns it off. Needs Redis 6 or newer.
PUBLIC_LOCAL_CACHE_BYTES = int(os.environ.get("PUBLIC_LOCAL_CACHE_MIB", "16")) * 1024 * 1024
# Shared caches in front (Varnish with vmod_xkey; README, "Scaling out"):
# each is sent PURGE with the surrogate keys of what changed, once it commits.
PURGE_URLS = env_list("PURGE_URLS", [])
PURGE_TIMEOUT = float(os.environ.get("PURGE_TIMEOUT", "1"))
# A purge that fails is a background job tried PURGE_ATTEMPTS times in all,
# waiting PURGE_BACKOFF_SECONDS, then twice as long each time (/readyz says
# so meanwhile).
PURGE_ATTEMPTS = int(os.environ.get("PURGE_ATTEMPTS", "6"))
PURGE_BACKOFF_SECONDS = float(os.environ.get("PURGE_BACKOFF_SECONDS", "5"))
# A rename printed on many articles (a person, a section, a tag, a photo's
# caption) re-indexes them: up to this many in the request that renamed it,
# so search follows at once; more by a background job, moments later.
SEARCH_REINDEX_INLINE = int(os.environ.get("SEARCH_REINDEX_INLINE", "50"))
# Google News wants zh-cn for Simplified Chinese, not Django's zh-hans.
NEWS_LANGUAGE = os.environ.get("NEWS_LANGUAGE", "zh-cn")

# --- Background work (newsroom/background.py; README "Background work") ------
# Django's task framework (the django.tasks API, through the django-tasks
# backport on 5.2). TASKS_BACKEND=database keeps the jobs in the database
# (SQLite or PostgreSQL: no new service); TASKS_BACKEND=rq puts them on RQ in
# Redis (pip install 'newsroom[rq]'), for papers with workers on many hosts.
# Workers: `manage.py run_worker` (make run starts one, make serve
# TASK_WORKERS of them).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS_QUEUES = ["default"]
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASKS_QUEUES}}
elif TASKS_BACKEND == "rq":
    TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL") or REDIS_URL
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (or TASKS_REDIS_URL).")
    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs django-tasks-rq: pip install 'newsroom[rq]'."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASKS_QUEUES}}
    # A job runs at most this long before RQ stops it (the page PDF's own cap is shorter).
    RQ_QUEUES = {
        name: {
            "URL": TASKS_REDIS_URL,
            "DEFAULT_TIMEOUT": int(os.environ.get("TASKS_TIMEOUT", "600")),
        }
        for name in TASKS_QUEUES
    }
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}.")
# How often an idle database worker asks for a job: half of it is the mean
# wait between enqueue and start (README, "Background work", latency).
TASKS_POLL_SECONDS = float(os.environ.get("TASKS_POLL_SECONDS", "0.5"))
# Each worker (run_worker) says it is alive this often; a job whose worker has
# been silent for TASKS_WORKER_LOST_SECONDS is run again (at most
# TASKS_MAX_ATTEMPTS times in all, then it fails: a job that kills its worker
# must not kill them all in turn).
TASKS_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_HEARTBEAT_SECONDS", "5"))
TASKS_WORKER_LOST_SECONDS = float(os.environ.get("TASKS_WORKER_LOST_SECONDS", "30"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))
# Finished jobs' records are kept this long, for the admin and for looking back.
TASKS_KEEP_DAYS = int(os.environ.get("TASKS_KEEP_DAYS", "14"))
# What every worker runs now and then, besides its jobs (seconds between runs):
# catching what a lost worker or a lost enqueue left behind. Each is safe to
# run on many workers at once.
TASKS_SWEEPS = {
    "newsroom.background.recover_lost_jobs": 10,
    "newsroom.background.forget_old_jobs": 3600,
    "articles.epaper.tasks.resume_stalled_pages": 60,
    # At most this late when an edition's job was lost; on time otherwise.
    "articles.editions.tasks.publish_missed_editions": 30,
    "articles.editions.imports.fail_lost_imports": 300,
    "articles.editions.imports.forget_old_imports": 3600,
    "articles.copy.working.prune_working_copies": 3600,
    "articles.copy.tasks.resume_missing_renditions": 120,
}

# --- API (articles/api/; README "API") ---------------------------------------
# Where the API's URIs start, e.g. https://www.example.cn: ninjs URIs identify
# items, so production should pin them rather than take the request's host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}.")
# Origins whose web pages may read the API (CORS, GET only): comma-separated,
# "*" for any; none by default.
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS", [])
# How long clients and shared caches may keep an answer before asking again.
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "60"))

# --- Production ---------------------------------------------------------------
# Everything below matters once DEBUG is off: `make serve` runs gunicorn with
# newsroom/gunicorn.conf.py after `manage.py check --deploy --fail-level
# WARNING` (newsroom/checks.py adds the project's own checks: PostgreSQL, and
# a cache shared by every worker). See the README, "Production".

# The site is HTTPS only. Behind a load balancer that ends TLS, gunicorn sets
# the scheme from X-Forwarded-Proto when the balancer's address is in
# FORWARDED_ALLOW_IPS (gunicorn.conf.py), so Django sees https as it is.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the balancer probes over http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to browsers' built-in lists that takes months to
# undo: it is the operator's decision, off unless asked for.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused post gets the newsroom's page, which hands the typed text back (not Django's).
CSRF_FAILURE_VIEW = "newsroom.views.csrf_failure"

# Content Security Policy (django-csp). Nothing inline: no inline script or
# style, no eval, in the public site or the admin (tests/production/
# test_browser.py checks that a real browser reports no violation). Public
# pages are cached whole and shared between readers, so they cannot carry a
# per-response nonce; the JSON-LD of article pages is a data block, which
# script-src does not govern. Admin templates that ever need an inline script
# use nonce="{{ request.csp_nonce }}" (never cached), allowed here by NONCE.
# With S3 the pictures' URLs redirect to signed URLs on the store, and img-src
# governs where a redirect leads too: the endpoint, the custom domain, or
# AWS's own host names for the bucket.
_aws_default_hosts = MEDIA_STORAGE == "s3" and not (
    os.environ.get("AWS_S3_ENDPOINT_URL") or os.environ.get("AWS_S3_CUSTOM_DOMAIN")
)
_bucket, _region = os.environ.get("AWS_STORAGE_BUCKET_NAME"), os.environ.get("AWS_S3_REGION_NAME")
_CSP_MEDIA = [
    origin
    for origin in [
        os.environ.get("AWS_S3_CUSTOM_DOMAIN") and f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}",
        MEDIA_STORAGE == "s3" and os.environ.get("AWS_S3_ENDPOINT_URL"),
        _aws_default_hosts and f"https://{_bucket}.s3.amazonaws.com",
        _aws_default_hosts and _region and f"https://{_bucket}.s3.{_region}.amazonaws.com",
    ]
    if origin
] + env_list("CSP_EXTRA_IMG_SRC", [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", *_CSP_MEDIA],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Password guessing on the admin login (django-axes): after AXES_FAILURE_LIMIT
# failures for one username from one address, that pair is refused for
# AXES_COOLOFF_MINUTES, counted from the failure that locked it: attempts
# while it is locked are refused unrecorded and do not extend it. The pair,
# not the account alone, so that nobody can lock a person out from elsewhere
# (and the office's other accounts behind its one address stay open); the way
# back from a lock is an unlock link sent to the account's own e-mail address
# (newsroom.security.unlock_request) or the desk head or the chief editor,
# who unlock logins in the admin. Attempts are kept in the database, shared
# by every app server; `manage.py axes_reset_username NAME` unlocks too.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login, for the audit
AXES_LOCKOUT_CALLABLE = "newsroom.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
# A staff session ends after this long without a request (newsroom/idle.py;
# open admin pages ping while their user types). Not under 10 minutes: the
# pages ping every 5.
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "60"))
if STAFF_IDLE_MINUTES < 10:
    raise ImproperlyConfigured(f"STAFF_IDLE_MINUTES must be 10 or more, not {STAFF_IDLE_MINUTES}.")

# What a person typed in an article form and did not save (autosave, articles/copy/working.py)
# is kept this many days, then pruned by the workers' sweep (or `manage.py prune_working_copies`).
WORKING_COPY_DAYS = int(os.environ.get("WORKING_COPY_DAYS", "14"))

# How many proxies (load balancer, CDN) add themselves to X-Forwarded-For in
# front of the app; 0 means the peer address is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # gunicorn collects stderr; errors and the 503s of a database outage show there.
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Server errors, not every 404 a crawler asks for.
    "loggers": {"django.request": {"level": "ERROR"}},
}
