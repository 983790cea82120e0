"""The site's URLs: the project's own probes and the admin; each app's by name, not by import.

The project names its apps as settings do (INSTALLED_APPS, MIDDLEWARE), by
dotted path: the apps import newsroom's shared code, and newsroom imports
none of theirs.
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from newsroom import idle, security
from newsroom import views as newsroom_views

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Workbench")
admin.site.login_form = security.LoginForm

urlpatterns = [
    path("healthz", newsroom_views.healthz, name="healthz"),
    path("readyz", newsroom_views.readyz, name="readyz"),
    path("keepalive", idle.keepalive, name="keepalive"),
    path("admin/unlock/", security.unlock_request, name="unlock-request"),
    path("admin/session/", security.staff_session, name="staff-session"),
    path("admin/unlock/<str:token>/", security.unlock, name="unlock-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("", include("media.urls")),
    path("", include("articles.site.urls")),
]

# A malformed request: the API answers with a problem document, the site with its page.
handler400 = "articles.api.http.bad_request"
# Whatever fails outside a view too (a middleware reading the session while
# PostgreSQL is away) answers 503 when the database is away, as views do.
handler500 = "newsroom.views.server_error"
# A refusal inside the admin keeps the admin's look and its way back.
handler403 = "newsroom.views.permission_denied"
