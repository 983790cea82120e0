import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from media import views as media_views
from newsroom import views as newsroom_views

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Workbench")

urlpatterns = [
    path("healthz", newsroom_views.healthz, name="healthz"),
    path("readyz", newsroom_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.site.urls")),
]

if settings.SERVE_MEDIA and not urlsplit(settings.MEDIA_URL).netloc:
    # Uploaded pictures, only as pictures (see media.views.serve).
    prefix = re.escape(settings.MEDIA_URL.strip("/"))
    urlpatterns += [re_path(rf"^{prefix}/(?P<path>.+)$", media_views.serve, name="media")]
