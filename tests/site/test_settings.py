import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

SHOW_CACHE = (
    "from newsroom import settings as s; "
    "print(s.CACHES['default']['BACKEND']); print(s.CACHES['default'].get('LOCATION'))"
)


def cache_settings(**env):
    environ = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    environ.update(env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CACHE], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_pages_are_cached_in_local_memory_by_default():
    assert cache_settings()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_switches_to_djangos_redis_cache():
    backend, location = cache_settings(REDIS_URL="redis://cache.internal:6379/2")
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://cache.internal:6379/2"
