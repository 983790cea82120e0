"""Deployment checks of our own, run by `manage.py check --deploy`.

Django's checks cover cookies, HSTS and the like; these cover what our
production path depends on: PostgreSQL, and a cache that every worker shares
(the public-version key of articles.cache is what makes a withdrawal
visible to every worker at once).
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MACHINE_LOCAL_CACHES = {"django.core.cache.backends.filebased.FileBasedCache"}
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.database, deploy=True)
def check_postgresql(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return []
    return [
        Warning(
            f"The database is {engine.rsplit('.', 1)[-1]}, not PostgreSQL.",
            hint="Set DATABASE_URL=postgres://user:password@host:5432/newsroom.",
            id="newsroom.W001",
        )
    ]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    problems = []
    for alias in ("default", getattr(settings, "SESSION_CACHE_ALIAS", "default")):
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in PROCESS_LOCAL_CACHES:
            problems.append(
                Error(
                    f"The {alias!r} cache is private to each process ({backend.rsplit('.', 1)[-1]}): "
                    "a publication or withdrawal would reach only the worker that made it.",
                    hint="Set REDIS_URL=redis://host:6379/0 so that every worker shares the cache.",
                    id="newsroom.E001",
                )
            )
        elif backend in MACHINE_LOCAL_CACHES:
            problems.append(
                Warning(
                    f"The {alias!r} cache is a file cache, shared by this machine's workers only: "
                    "another app server would not see a withdrawal made here.",
                    hint="Set REDIS_URL=redis://host:6379/0 so that every app server shares the cache.",
                    id="newsroom.W002",
                )
            )
    return problems[:1]
