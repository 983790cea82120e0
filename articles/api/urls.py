from django.urls import path, re_path

from articles.api import views
from articles.api.filters import ArticleFilter, EditionFilter, allowed_parameters
from articles.api.http import cors_vary
from articles.cache import public_page
from articles.site import converters  # noqa: F401 (registers isodate)


def public(view, filterset_class=None):
    """Serve view through the page cache; a parameter it does not know is refused (400), not cached."""
    return public_page(
        view, params=tuple(allowed_parameters(filterset_class)), strict=True, vary=cors_vary
    )


app_name = "api"
urlpatterns = [
    path("articles/", public(views.article_list, ArticleFilter), name="article-list"),
    path("articles/<int:pk>/", public(views.article_detail), name="article-detail"),
    path("editions/", public(views.edition_list, EditionFilter), name="edition-list"),
    path("editions/<isodate:date>/", public(views.edition_detail), name="edition-detail"),
    path("openapi.json", public(views.openapi), name="openapi"),
    # Anything else under the API answers in JSON too, not with the site's HTML
    # 404. Paths without a trailing slash stay unmatched so that APPEND_SLASH
    # still redirects /api/v1/articles to /api/v1/articles/.
    re_path(r"^(?P<path>(?:.*/)?)$", views.not_found, name="not-found"),
]
