"""Staff sessions end after STAFF_IDLE_MINUTES without a request.

A session cookie left in a newsroom browser overnight, or on a laptop lost
on the way home, is an editor's access to unpublished copy and to the
publish button. Each request of a logged-in user notes the time in the
session (at most once a minute, so that browsing does not mean a session
write per request); a request that comes later than the idle timeout after
the last one is logged out and sent on as anonymous, which in the admin means
the login page with a message saying why.

Typing a long story sends no request: the admin pages ping the keepalive view
(static/newsroom/keepalive.js) every few minutes while the editor is active
in them, so a session ends only when its user is really gone, and a story
being written is not lost to the login page.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

LAST_SEEN = "newsroom_last_seen"
# How stale the noted time may get before it is written again.
RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log out a user whose previous request is longer ago than STAFF_IDLE_MINUTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request carrying a session cookie can be logged in; asking
        # the others' session would mark every public page "Vary: Cookie".
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_MINUTES * 60:
                logout(request)
                minutes = settings.STAFF_IDLE_MINUTES
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity.",
                        "You were logged out after %(minutes)d minutes without activity.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
            elif last_seen is None or now - last_seen >= RESOLUTION_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def note_login(sender, request, user, **kwargs):
    """Count logging in as activity (connected to user_logged_in in NewsroomConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


@never_cache
def keepalive(request):
    """Note that an editor is still at work in an open page: 204, or 401 once logged out."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
