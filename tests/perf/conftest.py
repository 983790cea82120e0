"""What the tests of the production path share: Redis, and collectstatic's output."""

import os

import pytest

from tests.perf import liveserver

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "live-test-pass-123"


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = liveserver.production_environment(
        database="postgres://unused/unused", redis=REDIS_URL, static_root=root, key_prefix="x"
    )
    liveserver.collect_static(env)
    return root
