"""Feeds and sitemaps, checked the way real clients read them."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article
from tests.conftest import STANDARDS
from tests.factories import PersonFactory

from .conftest import HOST, add_photo, ago, credit, publish

pytestmark = pytest.mark.django_db

NAMESPACES = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


FEEDS = [
    ("articles:feed-rss", None),
    ("articles:feed-atom", None),
    ("articles:section-rss", "section"),
    ("articles:section-atom", "section"),
    ("articles:tag-rss", "tag"),
    ("articles:tag-atom", "tag"),
    ("articles:person-rss", "person"),
    ("articles:person-atom", "person"),
]


@pytest.mark.parametrize(("name", "scope"), FEEDS)
def test_feeds_parse_cleanly_with_authors_from_bylines(paper, client, name, scope):
    args = {
        None: [],
        "section": [paper["section"].slug],
        "tag": ["信访"],
        "person": [paper["siyong"].slug],
    }[scope]
    feed = parse_feed(client, reverse(name, args=args))
    assert feed.feed.title.startswith("滨江日报")
    assert feed.feed.language == "zh-cn"
    entry = feed.entries[0]
    assert entry.title == "我市召开信访工作会议"
    assert entry.link == f"http://{HOST}{paper['lead'].get_absolute_url()}"
    assert entry.author == "司勇、米雪"
    assert {tag.term for tag in entry.tags} == {"信访", "会议"}
    assert entry.summary == "全市信访工作会议召开。"


def test_feeds_carry_the_latest_50_newest_first(client):
    for i in range(55):
        publish(headline=f"第{i}条", published_at=ago(minutes=i))
    for name in ("articles:feed-rss", "articles:feed-atom"):
        feed = parse_feed(client, reverse(name))
        assert [e.title for e in feed.entries] == [f"第{i}条" for i in range(50)]


def test_a_feed_for_a_person_includes_the_photos_they_took(paper, client):
    item = publish(kind=Article.Kind.PHOTO, headline="", body="湿地白鹭。")
    credit(item, PersonFactory(name="别人"))
    add_photo(item, paper["mixue"])
    feed = parse_feed(client, reverse("articles:person-atom", args=[paper["mixue"].slug]))
    assert {e.title for e in feed.entries} == {"我市召开信访工作会议", "湿地白鹭"}


def schema(*names):
    """An XSD importing the published schemas a document uses, read from disk only."""
    targets = {
        "sitemap.xsd": NAMESPACES["s"],
        "sitemap-news.xsd": NAMESPACES["news"],
        "sitemap-image.xsd": NAMESPACES["image"],
    }
    imports = "".join(
        f'<xsd:import namespace="{targets[name]}" schemaLocation="{name}"/>' for name in names
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(no_network=True)
    root = etree.fromstring(wrapper.encode(), parser, base_url=(STANDARDS / "wrapper.xsd").as_uri())
    return etree.XMLSchema(root)


def valid_xml(client, url, *schemas):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    doc = etree.fromstring(response.content, etree.XMLParser(no_network=True))
    validator = schema(*schemas)
    assert validator.validate(doc), validator.error_log
    return doc


def test_the_sitemap_validates_and_lists_the_public_site(paper, client):
    add_photo(paper["lead"], PersonFactory(name="宋卫东"))
    doc = valid_xml(client, reverse("articles:sitemap"), "sitemap.xsd", "sitemap-image.xsd")
    locations = doc.xpath("//s:url/s:loc/text()", namespaces=NAMESPACES)
    base = f"http://{HOST}"
    for url in (
        "/",
        "/editions/",
        paper["section"].get_absolute_url(),
        "/editions/2022-02-14/",
        "/editions/2022-02-14/1/",
        "/editions/2022-02-14/2/",
        paper["lead"].get_absolute_url(),
    ):
        assert base + url in locations, url
    images = doc.xpath("//image:image/image:loc/text()", namespaces=NAMESPACES)
    assert len(images) == 1 and images[0].startswith(f"{base}/media/photos/")


def test_the_sitemap_continues_on_further_pages_named_in_robots_txt(paper, client, monkeypatch):
    from articles.site.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for i in range(3):
        publish(headline=f"稿件{i}")
    robots = client.get(reverse("articles:robots")).content.decode()
    assert f"Sitemap: http://{HOST}/sitemap.xml?p=2\n" in robots
    assert "?p=3" not in robots
    second = valid_xml(client, "/sitemap.xml?p=2", "sitemap.xsd", "sitemap-image.xsd")
    assert len(second.xpath("//s:url", namespaces=NAMESPACES)) == 2
    assert client.get("/sitemap.xml?p=3").status_code == 404
    assert client.get("/sitemap.xml?p=x").status_code == 404


def test_the_news_sitemap_validates_and_holds_the_last_two_days(paper, client):
    old = publish(headline="三天前的新闻", published_at=ago(days=3))
    photo = publish(kind=Article.Kind.PHOTO, headline="", body="清晨的白鹭。")
    doc = valid_xml(client, reverse("articles:sitemap-news"), "sitemap.xsd", "sitemap-news.xsd")
    entries = {
        url.findtext("s:loc", namespaces=NAMESPACES): url
        for url in doc.xpath("//s:url", namespaces=NAMESPACES)
    }
    base = f"http://{HOST}"
    assert set(entries) == {
        base + paper["lead"].get_absolute_url(),
        base + photo.get_absolute_url(),
    }
    assert base + old.get_absolute_url() not in entries
    news = entries[base + paper["lead"].get_absolute_url()]
    find = lambda path: news.findtext(path, namespaces=NAMESPACES)  # noqa: E731
    assert find("news:news/news:publication/news:name") == "滨江日报"
    assert find("news:news/news:publication/news:language") == "zh-cn"
    assert find("news:news/news:title") == "我市召开信访工作会议"
    published = datetime.datetime.fromisoformat(find("news:news/news:publication_date"))
    assert published == paper["lead"].published_at


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_staff_pages(paper, client):
    response = client.get(reverse("articles:robots"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: http://{HOST}/sitemap.xml" in lines
    assert f"Sitemap: http://{HOST}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
