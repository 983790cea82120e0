"""Settings for the test suite: the real settings, made fast and isolated.

They hold whatever the environment says (DATABASE_URL picks the database the
suite runs on), except what a test must own: the cache is each process's own
memory, and sessions live in the test database, even with REDIS_URL exported
as in production.
"""

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "sessions")
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
PURGE_URLS = []
# Most tests sign editions off without page PDFs; the e-paper's preflight is
# tested with it on (tests/editions/test_epaper_preflight.py), as is the demo.
EPAPER = False
