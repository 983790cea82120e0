import logging
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("newsroom.database")

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After while the database cannot be reached.

    A restart or fail-over of PostgreSQL makes the requests of those seconds
    fail; a 503 tells the load balancer, crawlers and readers' browsers that
    it is temporary, where a 500 says the page is broken. Persistent
    connections are health-checked before reuse (CONN_MAX_AGE with
    conn_health_checks), so the next request reconnects by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error("database unavailable for %s: %s", request.path, exception)
        return database_unavailable(request)


def is_database_outage(exception):
    return isinstance(exception, OperationalError | InterfaceError)


def in_its_language(request):
    """Render within this to answer request in its own language, wherever it stopped.

    An answer made before LocaleMiddleware ran (a malformed request, an
    outage met by an earlier middleware) would otherwise be in whatever
    language the thread's last request left active.
    """
    return translation.override(translation.get_language_from_request(request))


def database_unavailable(request):
    """The 503 answer while the database is away, with the time to try again."""
    # Rendered without the request: no context processor, nothing that needs the database.
    with in_its_language(request):
        body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


# What a view or a nonce adds to the settings' policy (django-csp's decorators).
_OWN_POLICY = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


@cache
def _settings_policies():
    """Return (policy, report-only policy) as the settings give them, built once per process."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' own policy built once, not per response.

    Building it cost a public page about a tenth of its render; it changes
    only with a nonce or a view's own policy, which are built as before.
    """

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _OWN_POLICY
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        policies = zip(
            (HEADER, HEADER_REPORT_ONLY),
            _settings_policies(),
            ("_csp_exempt", "_csp_exempt_ro"),
            ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            strict=True,
        )
        for header, policy, exempt, name in policies:
            excluded = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages middleware, with the storage made only when a message is added or read.

    Public pages do neither, and making it (a cookie signer and two
    backends) cost each of them more than the rest of this middleware.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # nothing added or read: nothing to store
        return super().process_response(request, response)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, without looking for a language in paths that never carry one.

    Django's reads the path's first segment as a language code twice per
    request (once to choose, once to answer) even where no URL is under
    i18n_patterns() and the answer is thrown away: /articles/12/ is tried
    as the language "articles", a miss that raises and is not remembered.
    That cost a rendered page a tenth of what the rest of this middleware
    does. Without i18n_patterns() this does what Django's does minus those
    two lookups (the same language, Vary and Content-Language); with them,
    Django's own methods run.
    """

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return super().process_response(request, response)
        language = translation.get_language()
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
