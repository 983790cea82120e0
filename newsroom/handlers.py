"""The WSGI handler production runs: Django's, with each path's view found once per process.

Resolving a path walks the URL patterns in order, and for an article that
is a dozen regular expressions, two includes and a Resolver404 raised and
caught in the one that does not match: about a twentieth of a rendered
page. What a path resolves to depends only on the path and the URL
configuration, so the match is kept per path (bounded; a path that matches
nothing is not kept, so made-up URLs fill nothing) and forgotten when the
URL configuration changes. A request that sets its own urlconf is resolved
as Django does.
"""

from functools import lru_cache

from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import ResolverMatch, get_resolver


@lru_cache(maxsize=4096)
def resolve(path: str) -> ResolverMatch:
    """Return what the root URL configuration resolves path to (Resolver404 is not kept)."""
    return get_resolver().resolve(path)


@receiver(setting_changed)
def _forget_matches(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        resolve.cache_clear()


class WSGIHandler(DjangoWSGIHandler):
    """Django's WSGIHandler (what get_wsgi_application() returns), resolving each path once."""

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf"):
            return super().resolve_request(request)
        # As Django's, less the walk through the patterns.
        resolver_match = resolve(request.path_info)
        request.resolver_match = resolver_match
        return resolver_match
