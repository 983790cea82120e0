"""Probes for the load balancer, and the answer to what fails outside a view."""

import re
import sys

from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from newsroom import background
from newsroom.middleware import database_unavailable, is_database_outage


def healthz(request):
    """Answer that this worker runs Django; touch nothing else (liveness, and the benchmark's baseline)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request):
    """Answer 200 when the database and the cache both answer, else 503 naming what failed.

    Background work that keeps failing (purges of the shared caches in front)
    is named on a line of its own, with a 200 all the same: this server can
    serve, and a balancer that took every server out because Varnish is away
    would turn a stale page into an outage. Monitoring reads the line.
    """
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means: send readers elsewhere
        failed.append("database")
    # The cache answers as empty while Redis is away (newsroom/caches.py), so
    # ask Redis itself; other backends raise if they fail.
    try:
        reachable = getattr(cache, "reachable", None)
        if reachable is not None and not reachable():
            failed.append("cache")
        elif reachable is None:
            cache.get("newsroom:readyz")
    except Exception:
        failed.append("cache")
    body = "ready\n" if not failed else f"unavailable: {', '.join(failed)}\n"
    if "cache" not in failed:
        try:
            for what, state in sorted(background.failing().items()):
                body += f"failing: {what} since {state['since']}: {state['error']}\n"
        except Exception:  # the cache is away: said above
            pass
    response = HttpResponse(body, status=503 if failed else 200, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: 503 with Retry-After when the database is away, else the 500 page.

    A middleware that reads the session or the user (the idle timeout) fails
    before any view runs, where DatabaseUnavailableMiddleware cannot see it;
    Django calls this with the exception still being handled.
    """
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request)


def permission_denied(request, exception):
    """handler403: inside the admin, the admin's page (its header, a way back); elsewhere the site's."""
    if not request.path.startswith(reverse("admin:index")):
        return defaults.permission_denied(request, exception)
    message = str(exception) if exception and str(exception) else ""
    context = {
        **admin.site.each_context(request),
        "title": _("Not allowed"),
        "message": message,
    }
    return TemplateResponse(request, "admin/403.html", context, status=403).render()


# Fields a form posts that are not text the person typed.
_NOT_TYPED = ("csrfmiddlewaretoken", "password", "base_version", "_", "initial-")
_CODE = re.compile(r"[a-z_]+")
_FORMSET_FIELDS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def typed_text(post):
    """The text a refused post carried, in the form's order: what to hand back to its author."""
    texts = []
    for name, values in post.lists():
        if name.startswith(_NOT_TYPED) or name.endswith(_FORMSET_FIELDS) or "password" in name:
            continue
        for value in values:
            value = value.strip()
            # Ids, positions and choices (news, reporter) are no one's words.
            if value and not value.isdigit() and not _CODE.fullmatch(value) and len(value) > 1:
                texts.append(value)
    return texts


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form's post refused as unsafe, explained, the text handed back.

    Django's own page is English with a debugging hint; this one says in the
    newsroom's words what happened (the page was open before a login, in
    another tab or after the session ended) and shows what was typed, to copy
    into the form opened again. reason is for the log, never for the page.
    """
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    context = {
        "title": _("The form could not be sent"),
        "texts": typed_text(request.POST) if request.method == "POST" else [],
        "back": back,
    }
    template = "csrf_failure.html"
    if request.path.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), **context}
        template = "admin/csrf_failure.html"
    return TemplateResponse(request, template, context, status=403).render()
