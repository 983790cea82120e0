"""Articles and editions as IPTC ninjs 2.2 documents."""

import pytest
from django.utils import timezone
from jsonschema import ValidationError

from articles import services
from articles.api.ninjs import printed_byline
from articles.models import Article
from tests.api.conftest import publish, published_article, published_edition, uri
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    PersonFactory,
    PhotoCreditFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_the_schema_checks_uris_and_dates(ninjs_validator):
    """Without the format extras jsonschema silently accepts anything; make sure it does not."""
    ninjs_validator.validate(
        {"uri": "http://example.com/a", "versioncreated": "2022-02-14T10:00:00+08:00"}
    )
    with pytest.raises(ValidationError):
        ninjs_validator.validate({"uri": "not a uri"})
    with pytest.raises(ValidationError):
        ninjs_validator.validate({"uri": "http://example.com/a", "versioncreated": "yesterday"})
    with pytest.raises(ValidationError):
        ninjs_validator.validate({"uri": "http://example.com/a", "keywords": ["信访"]})


def test_an_article_is_a_full_ninjs_text_document(api, people):
    section = SectionFactory(name="要闻", slug="yaowen")
    article = ArticleFactory(
        status="approved",
        kicker="引题",
        headline="我市召开信访工作会议",
        subheadline="韦韬张新伟作出批示",
        summary="会议部署今年工作。",
        section=section,
    )
    article.tags.add("信访", "会议")
    reporter = PersonFactory(name="司勇", slug="si-yong")
    BylineFactory(article=article, person=reporter, role="reporter", position=0)
    BylineFactory(
        article=article, person=PersonFactory(name="米雪"), role="correspondent", position=1
    )
    article = publish(article, people)

    document = api(f"/api/v1/articles/{article.pk}/").json()

    assert document["uri"] == uri(article)
    assert document["type"] == "text"
    assert document["pubstatus"] == "usable"
    assert document["language"] == "zh-Hans"
    assert document["version"] == str(article.version)
    assert document["firstcreated"] == timezone.localtime(article.published_at).isoformat()
    assert document["firstcreated"].endswith("+08:00")
    assert document["versioncreated"] == timezone.localtime(article.updated_at).isoformat()
    assert document["headlines"] == [
        {"role": "main", "value": "我市召开信访工作会议"},
        {"role": "subheadline", "value": "韦韬张新伟作出批示"},
        {"role": "kicker", "value": "引题"},
    ]
    assert document["by"] == "本报讯(记者 司勇 通讯员 米雪)"
    assert document["people"] == [
        {"name": "司勇", "rel": "reporter", "literal": "si-yong"},
        {"name": "米雪", "rel": "correspondent", "literal": "米雪"},
    ]
    assert document["subjects"] == [
        {"name": "要闻", "rel": "section", "literal": "yaowen"},
        {"name": "会议", "rel": "tag", "literal": "会议"},
        {"name": "信访", "rel": "tag", "literal": "信访"},
    ]
    assert document["genres"] == [{"literal": "news"}]
    assert document["descriptions"] == [{"role": "summary", "value": "会议部署今年工作。"}]
    (body,) = document["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"] == (
        "<p>2月11日，全市工作会议召开。</p><p>会议总结了去年的工作，安排部署了今年的主要任务。</p>"
    )
    assert body["charcount"] == article.char_count
    assert "associations" not in document


def test_the_body_is_escaped_html(api, people):
    article = published_article(people, body="<script>alert(1)</script> & “引号”")
    (body,) = api(f"/api/v1/articles/{article.pk}/").json()["bodies"]
    assert body["value"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”</p>"


def test_the_byline_is_printed_as_the_paper_prints_it(people):
    article = ArticleFactory(source="")
    BylineFactory(article=article, person=PersonFactory(name="刘鑫焱"), role="reporter")
    assert printed_byline(article) == "本报记者 刘鑫焱"
    article.source = "新华社北京2月28日电"
    assert printed_byline(article) == "新华社北京2月28日电(记者 刘鑫焱)"


def test_photos_are_associations_with_renditions_captions_and_credits(api, people, settings):
    article = ArticleFactory(status="approved")
    BylineFactory(article=article)
    use = ArticlePhotoFactory(article=article, caption="本稿专用图说", position=0)
    PhotoCreditFactory(photo=use.photo, person=PersonFactory(name="宋卫东"), position=0)
    PhotoCreditFactory(photo=use.photo, person=PersonFactory(name="李学军"), position=1)
    second = ArticlePhotoFactory(article=article, position=1)
    article = publish(article, people)

    document = api(f"/api/v1/articles/{article.pk}/").json()

    first, other = document["associations"]
    assert first["name"] == "photo-1"
    assert first["uri"] == f"{uri(article)}#photo-{use.photo.pk}"
    assert first["type"] == "picture"
    assert first["by"] == "宋卫东 李学军 摄"
    assert [p["name"] for p in first["people"]] == ["宋卫东", "李学军"]
    assert {"role": "caption", "value": "本稿专用图说"} in first["descriptions"]
    assert {"role": "alt", "value": "山间公路"} in first["descriptions"]
    # The 64 px test picture gets web renditions of its own width, WebP and JPEG.
    expected = list(use.photo.renditions())
    assert [
        (r["href"], r["contenttype"], r["width"], r["height"]) for r in first["renditions"]
    ] == [(f"http://testserver{r.url}", r.content_type, r.width, r.height) for r in expected]
    assert {r["contenttype"] for r in first["renditions"]} == {"image/webp", "image/jpeg"}
    assert {(r["width"], r["height"]) for r in first["renditions"]} == {(64, 48)}
    # Without a caption for this use, the photo's own caption is shown.
    assert {"role": "caption", "value": second.photo.caption} in other["descriptions"]
    assert document["type"] == "text"


def test_photo_news_is_a_picture_item_even_before_its_picture_arrives(api, people):
    article = ArticleFactory(
        kind="photo", headline="", source="", body="阳曲县农村公路。", status="approved"
    )
    BylineFactory(article=article, person=PersonFactory(name="王硕"), role="photographer")
    use = ArticlePhotoFactory(article=article, photo__image=None)
    article = publish(article, people)

    document = api(f"/api/v1/articles/{article.pk}/").json()

    assert document["type"] == "picture"
    assert document["by"] == "王硕 摄"
    assert "headlines" not in document
    assert "renditions" not in document
    (association,) = document["associations"]
    assert association["uri"].endswith(f"#photo-{use.photo.pk}")
    assert "renditions" not in association
    assert use.photo.renditions() == []


def test_photo_news_carries_its_picture_at_the_top(api, people):
    article = ArticleFactory(kind="photo", headline="", status="approved")
    BylineFactory(article=article, role="photographer")
    ArticlePhotoFactory(article=article)
    document = api(f"/api/v1/articles/{publish(article, people).pk}/").json()
    assert document["renditions"] == document["associations"][0]["renditions"]


def test_corrections_are_part_of_the_document(api, people):
    article = published_article(people)
    services.correct(article, user=people["editor"], note="原稿中“3.2公里”应为“3.4公里”。")
    document = api(f"/api/v1/articles/{article.pk}/").json()
    assert {"role": "correction", "value": "原稿中“3.2公里”应为“3.4公里”。"} in document[
        "descriptions"
    ]


def test_uris_start_at_site_url_when_it_is_set(api, people, settings):
    settings.SITE_URL = "https://www.example.cn"
    article = published_article(people)
    ArticlePhotoFactory(article=article)
    document = api(f"/api/v1/articles/{article.pk}/").json()
    assert document["uri"] == f"https://www.example.cn/articles/{article.pk}/"
    assert document["associations"][0]["renditions"][0]["href"].startswith(
        "https://www.example.cn/media/"
    )


def test_an_edition_manifest_lists_its_pages_and_their_articles_in_order(api, people):
    edition = published_edition(people, pages=2, articles=2, number=6125)
    document = api(f"/api/v1/editions/{edition.date:%Y-%m-%d}/").json()

    assert document["uri"] == f"http://testserver/editions/{edition.date:%Y-%m-%d}/"
    assert document["type"] == "composite"
    assert document["profile"] == "edition"
    assert {"role": "number", "value": "6125"} in document["altids"]
    assert [page["name"] for page in document["associations"]] == ["page-1", "page-2"]
    for number, page in enumerate(document["associations"], start=1):
        assert page["title"] == "要闻"
        assert page["altids"] == [{"role": "number", "value": str(number)}]
        assert page["people"][0]["rel"] == "page-editor"
        expected = Article.objects.filter(page__edition=edition, page__number=number).order_by(
            "position"
        )
        assert [a["uri"] for a in page["associations"]] == [uri(a) for a in expected]
        assert [a["name"] for a in page["associations"]] == ["article-1", "article-2"]
        assert all(a["pubstatus"] == "usable" and a["bodies"] for a in page["associations"])


def test_the_edition_list_gives_each_edition_without_its_pages(api, people):
    edition = published_edition(people)
    (document,) = api("/api/v1/editions/").json()["results"]
    assert document["uri"] == f"http://testserver/editions/{edition.date:%Y-%m-%d}/"
    assert document["representationtype"] == "partial"
    assert "associations" not in document
