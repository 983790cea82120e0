import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Byline
from people.models import Person
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    PageFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def test_the_admin_speaks_simplified_chinese(admin_client):
    response = admin_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert 'lang="zh-hans"' in content
    assert "稿件与版面" in content  # the articles app
    assert "期次" in content and "人员" in content


def test_article_list_shows_headline_kind_status_placement_and_character_count(admin_client):
    page = PageFactory(number=1, edition__date="2022-02-14")
    ArticleFactory(headline="我市召开信访工作会议", body="全市信访工作会议召开。", page=page)
    content = admin_client.get(admin_url(Article, "changelist")).content.decode()
    assert "我市召开信访工作会议" in content
    assert "消息" in content and "草稿" in content
    assert "2022-02-14 第1版" in content
    assert ">11<" in content


def make_articles(n):
    section = SectionFactory()
    page = PageFactory()
    for _ in range(n):
        article = ArticleFactory(page=page, section=section)
        BylineFactory(article=article)
        article.tags.add("信访")


def count_changelist_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(admin_url(Article, "changelist"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_article_list_runs_the_same_queries_for_1_or_50_articles(admin_client):
    make_articles(1)
    one = count_changelist_queries(admin_client)
    make_articles(49)
    assert Article.objects.count() == 50
    assert count_changelist_queries(admin_client) == one


def test_article_list_searches_by_bylined_person(admin_client):
    from articles.search import index_articles

    BylineFactory(person=PersonFactory(name="司勇"), article__headline="设立接种点")
    ArticleFactory(headline="别的稿子")
    index_articles(Article.objects.all())
    content = admin_client.get(admin_url(Article, "changelist"), {"q": "司勇"}).content.decode()
    assert "设立接种点" in content
    assert "别的稿子" not in content


def article_form(**overrides):
    data = {
        "kind": "news",
        "headline": "我市为农村寄递物流补短板",
        "source": "本报讯",
        "body": "2月12日市邮政管理局消息，我市引导\n支持快递企业合作。",
        "position": "0",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "article_photos-TOTAL_FORMS": "0",
        "article_photos-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_tags_are_picked_by_autocomplete_or_typed_new(admin_client):
    existing = Tag.objects.create(name="快递")
    response = admin_client.post(
        admin_url(Article, "add"), article_form(tags=[str(existing.pk), "农村寄递"])
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["农村寄递", "快递"]
    assert Tag.objects.get(name="农村寄递").slug == "农村寄递"


def test_tag_autocomplete_finds_tags_by_chinese_text(admin_client):
    Tag.objects.create(name="信访")
    Tag.objects.create(name="养老")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "信"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["信访"]


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


# Their admins count related rows (GROUP BY), and Django leaves Meta.ordering
# out of such queries: the autocompletes must still page in a stable order.


def test_person_autocomplete_lists_people_by_name(admin_client):
    for name in ["林静", "周敏", "林晓", "林静"]:
        PersonFactory(name=name)
    by_name = [str(p) for p in Person.objects.filter(name__startswith="林").order_by("name", "pk")]
    assert autocomplete(admin_client, "byline", "person", "林") == by_name


def test_edition_autocomplete_lists_the_latest_edition_first(admin_client):
    pages = [PageFactory() for _ in range(3)]
    editions = sorted((page.edition for page in pages), key=lambda e: e.date, reverse=True)
    assert autocomplete(admin_client, "page", "edition") == [str(e) for e in editions]


def test_a_refused_save_keeps_what_was_typed(admin_client):
    response = admin_client.post(
        admin_url(Article, "add"),
        article_form(headline="", subheadline="副题保留", tags=["农村寄递"]),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "除图片新闻外" in content  # the headline error, in Chinese
    assert "副题保留" in content
    assert '<option value="农村寄递" selected>农村寄递</option>' in content
    assert not Article.objects.exists()


def test_pasted_copy_is_stored_with_broken_lines_joined(admin_client):
    admin_client.post(admin_url(Article, "add"), article_form())
    article = Article.objects.get()
    assert article.paragraphs == ["2月12日市邮政管理局消息，我市引导支持快递企业合作。"]
    assert article.char_count == 2 + 24  # 2 and 12, then 24 characters


def test_bylines_are_added_inline_in_order(admin_client):
    reporter, correspondent = PersonFactory(name="李涛"), PersonFactory(name="马卓")
    data = article_form(
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-person": str(reporter.pk),
            "bylines-0-role": "reporter",
            "bylines-0-position": "0",
            "bylines-1-person": str(correspondent.pk),
            "bylines-1-role": "correspondent",
            "bylines-1-position": "1",
        }
    )
    assert admin_client.post(admin_url(Article, "add"), data).status_code == 302
    assert [(b.person.name, b.role) for b in Byline.objects.all()] == [
        ("李涛", "reporter"),
        ("马卓", "correspondent"),
    ]


def test_edition_page_shows_its_pages_and_their_articles_in_order(admin_client):
    page = PageFactory(number=1, name="要闻")
    ArticleFactory(page=page, position=2, headline="第二条")
    ArticleFactory(page=page, position=1, headline="头条")
    content = admin_client.get(admin_url(type(page.edition), "change", page.edition.pk)).content
    content = content.decode()
    assert content.index("头条") < content.index("第二条")
    assert "要闻" in content


def test_person_page_lists_their_articles(admin_client):
    byline = BylineFactory(person__name="胡引平", article__headline="我市召开信访工作会议")
    response = admin_client.get(admin_url(type(byline.person), "change", byline.person.pk))
    assert "我市召开信访工作会议" in response.content.decode()


def test_view_on_site_appears_only_for_what_readers_can_see(admin_client):
    from articles.models import Edition

    planning = PageFactory(edition__date="2022-02-14")
    content = admin_client.get(admin_url(Edition, "change", planning.edition.pk)).content.decode()
    assert "/editions/2022-02-14/" not in content
    Edition.objects.filter(pk=planning.edition.pk).update(
        status="published", published_at="2022-02-14T05:00:00+08:00"
    )
    content = admin_client.get(admin_url(Edition, "change", planning.edition.pk)).content.decode()
    assert "/editions/2022-02-14/" in content


def test_editors_filter_articles_by_edition_dates_person_and_tag(admin_client):
    early = ArticleFactory(headline="二月初的稿件", page=PageFactory(edition__date="2022-02-01"))
    late = ArticleFactory(headline="二月底的稿件", page=PageFactory(edition__date="2022-02-28"))
    BylineFactory(article=early, person=PersonFactory(name="胡引平"))
    late.tags.add("信访")

    def listed(**params):
        content = admin_client.get(admin_url(Article, "changelist"), params).content.decode()
        return {h for h in (early.headline, late.headline) if h in content}

    assert listed(edition_dates="2022-02-01..2022-02-10") == {early.headline}
    assert listed(edition_dates="2022-02-28") == {late.headline}
    assert listed(person="胡引") == {early.headline}
    assert listed(tag="信访") == {late.headline}


def test_a_badly_written_edition_date_range_is_explained_not_applied(admin_client):
    ArticleFactory(headline="任意稿件", page=PageFactory(edition__date="2022-02-01"))
    response = admin_client.get(admin_url(Article, "changelist"), {"edition_dates": "二月"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "2022-02-01..2022-02-28" in content  # the message shows how to write it
    assert "任意稿件" in content
