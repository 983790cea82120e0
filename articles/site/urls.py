"""Public URLs. Every one but the staff preview and the files is served through the page cache.

public() marks a view for articles.cache.PublicPageMiddleware, naming the
query parameters it reads: the others are dropped before it runs.
"""

from django.urls import path

from articles.cache import public_page
from articles.site import converters, feeds, sitemaps, views  # noqa: F401 (converters registers)

app_name = "articles"
public = public_page


def paginated(view):
    return public_page(view, params=("page",))


def suggestions(view):
    return public_page(view, params=("q",))


urlpatterns = [
    path("", public(views.HomeView.as_view()), name="home"),
    # 电子版: the latest edition's 第1版; the date picker; both answer with a redirect.
    path("epaper/", views.latest_front_page, name="epaper"),
    path("epaper/date/", views.edition_for_date, name="edition-for-date"),
    path("editions/", public(views.EditionArchiveView.as_view()), name="edition-archive"),
    path(
        "editions/<yearmonth:month>/",
        public(views.EditionArchiveView.as_view()),
        name="edition-month",
    ),
    path("editions/<isodate:date>/", public(views.EditionDetailView.as_view()), name="edition"),
    path(
        "editions/<isodate:date>/<int:number>/",
        public(views.EditionPageView.as_view()),
        name="edition-page",
    ),
    # A published page's PDF and pictures (not page-cached: files, streamed).
    path(
        "editions/<isodate:date>/<int:number>/files/<str:name>",
        views.page_file,
        name="edition-page-file",
    ),
    path("articles/<int:pk>/", public(views.ArticleDetailView.as_view()), name="detail"),
    path("preview/articles/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    # Section, tag and person slugs are Unicode (信访, 林晓): <str:…>, not <slug:…>.
    path("sections/<str:slug>/", paginated(views.SectionView.as_view()), name="section"),
    path("tags/<str:slug>/", paginated(views.TagView.as_view()), name="tag"),
    path("people/<str:slug>/", paginated(views.PersonView.as_view()), name="person"),
    path("feeds/rss/", public(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", public(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("feeds/sections/<str:slug>/rss/", public(feeds.SectionFeed()), name="section-rss"),
    path("feeds/sections/<str:slug>/atom/", public(feeds.SectionAtomFeed()), name="section-atom"),
    path("feeds/tags/<str:slug>/rss/", public(feeds.TagFeed()), name="tag-rss"),
    path("feeds/tags/<str:slug>/atom/", public(feeds.TagAtomFeed()), name="tag-atom"),
    path("feeds/people/<str:slug>/rss/", public(feeds.PersonFeed()), name="person-rss"),
    path("feeds/people/<str:slug>/atom/", public(feeds.PersonAtomFeed()), name="person-atom"),
    path("sitemap.xml", public_page(sitemaps.sitemap, params=("p",)), name="sitemap"),
    path("sitemap-news.xml", public(sitemaps.news_sitemap), name="sitemap-news"),
    path(
        "search/",
        public_page(views.SearchView.as_view(), params=views.SearchView.PARAMS),
        name="search",
    ),
    # Names for the search form's person and tag boxes (published ones only).
    path("search/people/", suggestions(views.suggest), {"kind": "people"}, name="suggest-people"),
    path("search/tags/", suggestions(views.suggest), {"kind": "tags"}, name="suggest-tags"),
    path("robots.txt", public(views.robots_txt), name="robots"),
]
