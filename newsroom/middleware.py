import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

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
