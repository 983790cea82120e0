"""Pages cost a fixed number of queries, however many articles, bylines, tags and photos."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Byline, Correction
from tests.factories import PersonFactory

from .conftest import add_photo, credit, publish

pytestmark = pytest.mark.django_db

# From scratch (nothing cached): the page, and each part it keeps (fragments),
# the footer's settings, the date picker's editions and the article's
# neighbours on its page.
BUDGETS = {"article": 12, "edition": 11, "page": 11, "home": 11}
# Rendered again once only the page is gone from the cache: its kept parts
# (the story, the links around it, the related articles, the teasers, the
# section bar, an edition's pages, the date picker) cost nothing. What is
# worked out on every render: which page of an edition it is (which article
# it is, and where, is kept with the article's key; which edition a date
# names, while no edition is published or reopened).
RERENDER = {"article": 0, "edition": 0, "page": 1}


def cold_queries(client, url):
    """Return how many queries url costs with nothing cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def fill(article, n, photographer):
    """Give article n bylines, n tags, n photos with two credits each, n corrections."""
    people = PersonFactory.create_batch(n)
    credit(article, *people, start=10)
    article.tags.add(*[f"标签{i}" for i in range(n)])
    for i in range(n):
        add_photo(article, photographer, PersonFactory(), position=i, caption=f"图说{i}")
        Correction.objects.create(article=article, text=f"更正{i}")


def add_stories(paper, n):
    photographer = PersonFactory(name="宋卫东")
    for i in range(n):
        for page in (paper["page1"], paper["page2"]):
            article = publish(
                headline=f"{page.number}版稿件{i}",
                page=page,
                position=i + 2,
                section=paper["section"],
            )
            fill(article, 3, photographer)
            article.tags.add("信访")


def page_urls(paper):
    return {
        "home": reverse("articles:home"),
        "edition": paper["edition"].get_absolute_url(),
        "page": paper["page1"].get_absolute_url(),
    }


def test_edition_page_and_home_cost_the_same_with_1_or_30_stories(paper, client):
    add_stories(paper, 1)
    few = {name: cold_queries(client, url) for name, url in page_urls(paper).items()}
    add_stories(paper, 29)
    many = {name: cold_queries(client, url) for name, url in page_urls(paper).items()}
    assert few == many
    for name, count in many.items():
        assert count <= BUDGETS[name], f"{name}: {count} queries"


def test_article_page_costs_the_same_with_1_or_30_of_everything(paper, client):
    lead, photographer = paper["lead"], PersonFactory(name="李学军")
    related = [publish(headline=f"相关{i}") for i in range(30)]
    fill(lead, 1, photographer)
    related[0].tags.add("标签0")
    few = cold_queries(client, lead.get_absolute_url())
    fill_more = PersonFactory.create_batch(29)
    credit(lead, *fill_more, role=Byline.Role.CORRESPONDENT, start=50)
    lead.tags.add(*[f"更多标签{i}" for i in range(29)])
    for i in range(29):
        add_photo(lead, photographer, position=10 + i)
        Correction.objects.create(article=lead, text=f"又一处更正{i}")
        related[i + 1].tags.add("信访", f"更多标签{i}")
    many = cold_queries(client, lead.get_absolute_url())
    content = client.get(lead.get_absolute_url()).content.decode()
    assert content.count('<figure class="photo">') == 30
    assert content.count("又一处更正") == 29
    assert few == many <= BUDGETS["article"]


@pytest.mark.parametrize("kind", ["section", "tag", "person", "feed", "sitemap"])
def test_lists_feeds_and_sitemaps_cost_the_same_with_1_or_30_stories(paper, client, kind):
    url = {
        "section": paper["section"].get_absolute_url(),
        "tag": reverse("articles:tag", args=["信访"]),
        "person": paper["siyong"].get_absolute_url(),
        "feed": reverse("articles:feed-atom"),
        "sitemap": reverse("articles:sitemap"),
    }[kind]

    def more(n):
        for _ in range(n):
            article = publish(section=paper["section"], page=paper["page2"])
            credit(article, paper["siyong"], PersonFactory())
            article.tags.add("信访", "会议")
            add_photo(article, PersonFactory())

    more(1)
    few = cold_queries(client, url)
    more(29)
    assert cold_queries(client, url) == few


def rerendered_queries(client, url):
    """Return how many queries url costs when its page is gone but its parts are kept."""
    from articles.cache import ENTRY_FORMAT, PREFIX

    client.get(url)
    for key in [key for key in cache._cache if f"{PREFIX}:{ENTRY_FORMAT}:" in key]:
        cache.delete(key.split(":", 2)[2])  # locmem's keys are ":1:<key>"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_a_page_rendered_again_costs_only_what_its_kept_parts_do_not_cover(paper, client):
    photographer = PersonFactory(name="宋卫东")
    urls = {**page_urls(paper), "article": paper["lead"].get_absolute_url()}
    urls.pop("home")
    few = {name: rerendered_queries(client, url) for name, url in urls.items()}
    add_stories(paper, 30)
    fill(paper["lead"], 30, photographer)
    many = {name: rerendered_queries(client, url) for name, url in urls.items()}
    assert few == many == RERENDER


def test_an_article_rendered_again_reads_its_kept_parts_in_one_round_trip(
    paper, client, monkeypatch
):
    url = paper["lead"].get_absolute_url()
    rerendered_queries(client, url)  # every part kept
    from articles.cache import ENTRY_FORMAT, PREFIX

    for key in [key for key in cache._cache if f"{PREFIX}:{ENTRY_FORMAT}:" in key]:
        cache.delete(key.split(":", 2)[2])
    trips, inside = [], []

    def counted(method):
        original = getattr(cache, method)

        def call(*args, **kwargs):
            if not inside:  # locmem's get_many asks get() for each key: one trip to Redis
                trips.append(method)
            inside.append(method)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, method, call)

    counted("get")
    counted("get_many")
    response = client.get(url)
    assert response.status_code == 200
    # The page looked up (gone), which article it is, its story, neighbours
    # and related articles, the section bar and the footer read together,
    # the page stored. (Where Redis watches for it, a process keeps what it
    # read and asks again only for what changed: tests/site/test_cache.py.)
    assert trips == ["get_many"] * 4
