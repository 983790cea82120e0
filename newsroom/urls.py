"""The site's URLs: the project's own probes and the admin; each app's by name, not by import.

The project names its apps as settings do (INSTALLED_APPS, MIDDLEWARE), by
dotted path: the apps import newsroom's shared code, and newsroom imports
none of theirs.
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from newsroom import idle
from newsroom import views as newsroom_views
from newsroom.security import LoginForm

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Workbench")
admin.site.login_form = LoginForm

urlpatterns = [
    path("healthz", newsroom_views.healthz, name="healthz"),
    path("readyz", newsroom_views.readyz, name="readyz"),
    path("keepalive", idle.keepalive, name="keepalive"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("", include("media.urls")),
    path("", include("articles.site.urls")),
]

# A malformed request: the API answers with a problem document, the site with its page.
handler400 = "articles.api.http.bad_request"
