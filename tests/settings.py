"""Settings for the test suite: the real settings, made fast and isolated.

Whatever the shell exports (REDIS_URL, as in production), the suite runs on
local-memory caches of its own; the tests that need Redis point at it
themselves.
"""

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "sessions")
}
PURGE_URLS = []
