"""Whatever people type is printed as text: in pages, feeds, sitemaps and JSON-LD."""

import json
import re

import feedparser
import lxml.html
import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article, Byline
from people.models import Person
from tests.factories import SectionFactory

from .conftest import add_photo, credit, publish

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    '"><img src=x onerror=alert(3)>',
    "'><svg onload=alert(4)>",
    "<!--<script>",
    "]]><x>&amp;",
    "{{ request }}",
]
# What must never reach a page as markup.
DANGEROUS = ["<script>alert", "<img src=x", "<svg onload", "<!--<script", "<x>"]


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def hostile(request, paper):
    """Published copy with the payload in every field a person types."""
    payload = request.param
    section = SectionFactory(name=f"栏{payload}"[:32], slug="hostile")
    article = publish(
        kicker=f"引{payload}",
        headline=f"标{payload}",
        subheadline=f"副{payload}",
        body=f"正文{payload}。\n\n第二段{payload}。",
        summary=f"摘要{payload}",
        section=section,
        page=paper["page1"],
        position=2,
    )
    person = Person.objects.create(name=f"人{payload}"[:64], slug="hostile-person")
    credit(article, person)
    credit(article, paper["siyong"], role=Byline.Role.CORRESPONDENT, start=1)
    article.tags.add(f"签{payload}", "信访")
    add_photo(article, person, caption=f"图{payload}", alt_text=f"alt{payload}")
    photo_news = publish(kind=Article.Kind.PHOTO, headline="", body=f"图片新闻{payload}。")
    add_photo(photo_news, person, alt_text=f"alt{payload}")
    return payload, article, person, photo_news


def assert_inert(content, url):
    for marker in DANGEROUS:
        assert marker not in content, f"{marker!r} reached {url}"


def test_pages_print_payloads_as_text(hostile, paper, client):
    payload, article, person, photo_news = hostile
    tag_slug = article.tags.exclude(name="信访").get().slug
    urls = [
        reverse("articles:home"),
        paper["edition"].get_absolute_url(),
        paper["page1"].get_absolute_url(),
        article.get_absolute_url(),
        photo_news.get_absolute_url(),
        paper["lead"].get_absolute_url(),  # related box
        article.section.get_absolute_url(),
        reverse("articles:tag", args=[tag_slug]),
        person.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert_inert(content, url)
        doc = lxml.html.fromstring(content)
        # No inline script: the article's JSON-LD (data) and static files only.
        scripts = doc.xpath("//script")
        assert all(
            s.get("type") == "application/ld+json"
            or (s.get("src", "").startswith("/static/js/") and not (s.text or "").strip())
            for s in scripts
        ), url
        # Our own SVG (the QR code, the facsimile's zones) carries no payload.
        svgs = "//svg[not(@class='qr-code') and not(@class='zones')]"
        assert not doc.xpath(f"//img[@onerror] | {svgs} | //*[@onload]"), url
    doc = lxml.html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert doc.cssselect("h1")[0].text_content() == f"标{payload}"
    assert doc.cssselect("figure img")[0].get("alt") == f"alt{payload}"
    meta = {m.get("property"): m.get("content") for m in doc.cssselect("meta[property]")}
    assert meta["og:title"] == f"标{payload}"


def test_json_ld_cannot_be_closed_by_a_headline(hostile, client):
    payload, article, person, _ = hostile
    content = client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["headline"] == f"标{payload}"
    assert data["alternativeHeadline"] == f"副{payload}"
    assert f"人{payload}" in [author["name"] for author in data["author"]]
    assert f"签{payload}" in data["keywords"]
    assert "<" not in blocks[0]


@pytest.mark.parametrize("name", ["articles:feed-rss", "articles:feed-atom"])
def test_feeds_carry_payloads_as_text(hostile, client, name):
    payload, article, person, _ = hostile
    response = client.get(reverse(name))
    etree.fromstring(response.content)  # well-formed XML
    assert_inert(response.content.decode(), name)
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.link.endswith(article.get_absolute_url()))
    # The summary is HTML whose text is the payload, never markup.
    assert lxml.html.fromstring(f"<p>{entry.summary}</p>").text_content() == f"摘要{payload}"
    assert f"人{payload}" in entry.author


def test_sitemaps_carry_payloads_as_text(hostile, client):
    payload, article, person, photo_news = hostile
    for name in ("articles:sitemap", "articles:sitemap-news"):
        response = client.get(reverse(name))
        assert_inert(response.content.decode(), name)
        etree.fromstring(response.content)
    doc = etree.fromstring(client.get(reverse("articles:sitemap-news")).content)
    titles = doc.xpath(
        "//news:title/text()", namespaces={"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    )
    assert f"标{payload}" in titles
