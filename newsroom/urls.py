import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from articles.api.http import problem_response
from media import views as media_views
from newsroom import idle
from newsroom import views as newsroom_views
from newsroom.malformed import MalformedRequest
from newsroom.security import LoginForm

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Workbench")
admin.site.login_form = LoginForm

API_PREFIX = "api/v1/"

urlpatterns = [
    path("healthz", newsroom_views.healthz, name="healthz"),
    path("readyz", newsroom_views.readyz, name="readyz"),
    path("keepalive", idle.keepalive, name="keepalive"),
    path("admin/", admin.site.urls),
    path(API_PREFIX, include("articles.api.urls")),
    path("", include("articles.site.urls")),
]

# Uploaded pictures, always through the view that checks who may see them
# (media.views.serve), whoever sends the bytes.
_media_prefix = re.escape(settings.MEDIA_URL.strip("/"))
urlpatterns += [re_path(rf"^{_media_prefix}/(?P<path>.+)$", media_views.serve, name="media")]


def handler400(request, exception):
    """Answer a malformed request: the API with a problem document, the rest with our page."""
    if not request.path_info.startswith(f"/{API_PREFIX}"):
        return defaults.bad_request(request, exception)
    errors = None
    if isinstance(exception, MalformedRequest) and exception.name:
        errors = {exception.name: [_("A NUL byte is not allowed in any value.")]}
    detail = _("The request cannot be read: it is malformed or too large.")
    return problem_response(400, detail, errors)
