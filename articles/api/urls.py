from django.urls import path, re_path

from ..site import converters  # noqa: F401 (registers isodate)
from . import views

app_name = "api"
urlpatterns = [
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("editions/", views.edition_list, name="edition-list"),
    path("editions/<isodate:date>/", views.edition_detail, name="edition-detail"),
    path("openapi.json", views.openapi, name="openapi"),
    # Anything else under the API answers in JSON too, not with the site's HTML
    # 404. Paths without a trailing slash stay unmatched so that APPEND_SLASH
    # still redirects /api/v1/articles to /api/v1/articles/.
    re_path(r"^(?P<path>(?:.*/)?)$", views.not_found, name="not-found"),
]
