"""Search on Chinese text: the same answers on SQLite and PostgreSQL."""

import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import search, workflow
from articles.importer.load import import_page
from articles.importer.parse import parse_page
from articles.models import Article, ArticleSearch
from articles.search.tags import suggest_tags
from tests.factories import ArticleFactory, BylineFactory, PersonFactory

pytestmark = pytest.mark.django_db


def publish_all():
    Article.objects.update(status="published", published_at=timezone.now() - timedelta(hours=1))


# A page of our own in the layout of a city daily (six items, one of them photo news).
PAGE = Path(__file__).with_name("page.txt")


@pytest.fixture
def seed(people):
    text = PAGE.read_text(encoding="utf-8")
    import_page(text, date="2026-03-02", number=2, name="综合", user=people["editor"])
    publish_all()
    return {a.headline or a.kind: a for a in Article.objects.all()}


def found(query, queryset=None):
    queryset = Article.objects.published() if queryset is None else queryset
    return [str(a) for a in search.search(queryset, query)]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("信访", "滨江召开信访工作推进会"),
        ("养老", "民政部门推出养老服务新举措"),
        ("快递", "滨江为农村寄递物流补“短板”"),
        ("郑可", "民政部门推出养老服务新举措"),
        ("罗峰", "为适龄儿童开设疫苗接种点"),
        ("3-11岁", "为适龄儿童开设疫苗接种点"),
        ("1351工程", "民政部门推出养老服务新举措"),
        ("农村 快递", "滨江为农村寄递物流补“短板”"),
        ("冬奥", "小学生体验冰雪运动"),
        # Photo news, titled by its caption's first clause past the date.
        ('"农村公路"', "滨江县新修的农村公路连通了山区的几个村庄"),
        ("疫苗接种", "为适龄儿童开设疫苗接种点"),
    ],
)
def test_known_queries_find_the_right_seed_article_first(seed, query, expected):
    assert found(query)[0] == expected


@pytest.mark.parametrize("word", ["农村", "养老", "合作", "滨江", "全覆盖", "党的二十大"])
def test_a_word_finds_every_article_that_contains_it(seed, word):
    containing = [str(a) for a in Article.objects.all() if word in a.headline + a.body]
    assert containing
    assert sorted(found(word)) == sorted(containing)


def test_words_must_all_occur(seed):
    assert found("信访 快递") == []


def test_a_quoted_phrase_must_occur_as_written(seed):
    assert found('"农村快递"') == []  # never printed together
    assert found("农村快递")  # both words, anywhere


def test_latin_and_digits_are_found(seed):
    article = ArticleFactory(headline="COVID检测点增加", body="新设COVID-19检测点12个。")
    search.index_article(article)
    publish_all()
    assert found("covid") == ["COVID检测点增加"]
    assert found("COVID-19") == ["COVID检测点增加"]


def test_known_queries_find_demo_articles(settings):
    from articles.demo import load_demo

    settings.DEBUG = True
    load_demo()
    assert found("隧道")[0] == "滨江首条过江隧道全线贯通"
    assert found("社区食堂")[0] == "社区食堂开进老小区"
    assert "白鹭" in found("白鹭")[0]  # photo news, found by its caption
    assert found("林晓")  # by byline
    assert found("劳动教育")  # by tag


def test_a_headline_match_ranks_above_a_passing_mention():
    old = timezone.now() - timedelta(days=300)
    headline = ArticleFactory(headline="养老服务有了新去处", body="社区里开了新机构。")
    mention = ArticleFactory(headline="社区动态", body="本周社区举办讲座，还谈到了养老话题。")
    search.index_articles(Article.objects.all())
    Article.objects.update(status="published")
    Article.objects.filter(pk=headline.pk).update(published_at=old)  # older, still first
    Article.objects.filter(pk=mention.pk).update(published_at=timezone.now())
    assert found("养老") == ["养老服务有了新去处", "社区动态"]


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "returned", "approved", "spiked", "withdrawn"]
)
def test_unpublished_copy_never_appears(status):
    article = ArticleFactory(headline="内部稿件信访", status=status)
    search.index_article(article)
    assert found("信访") == []
    assert found("信访", Article.objects.all()) == ["内部稿件信访"]  # the desk finds it


HOSTILE = [
    "",
    "   ",
    "。，！？、",
    "& | ! ( ) : * ' \\",
    "信访 & 养老 | !快递",
    "信访:* <-> 'x'",
    "'; DROP TABLE articles_article; --",
    "<script>alert(1)</script>",
    "信" * 10_000,
    "a" * 10_000,
    "\x00\x01",
    '"""',
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_with_an_empty_or_sensible_result(seed, query):
    parsed = search.parse(query)
    results = list(search.search(Article.objects.published(), parsed))
    assert bool(parsed) or parsed.problem
    assert all(article.status == "published" for article in results)
    if not parsed:
        assert results == []


def test_the_admin_search_uses_the_same_engine(seed, admin_client):
    content = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "陈立平"})
    assert "滨江召开信访工作推进会" in content.content.decode()
    assert "民政部门" not in content.content.decode()


def test_hostile_admin_searches_answer_200(seed, admin_client):
    for query in HOSTILE[:9]:
        response = admin_client.get(reverse("admin:articles_article_changelist"), {"q": query})
        assert response.status_code == 200


# --- the index stays right --------------------------------------------------


def post_change(client, article, **changes):
    from tests.newsroom import form_data

    data = form_data(article, **changes)
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_index_follows_edits_and_tag_changes(people):
    from tests.newsroom import client_for

    article = ArticleFactory(
        headline="冬季供暖", body="今日开始供暖。", created_by=people["reporter"]
    )
    search.index_article(article)
    client = client_for(people["reporter"])
    post_change(client, article, body="热力公司说今日开始供暖，暖气片温度达标。")
    article.refresh_from_db()
    assert found("暖气片", Article.objects.all()) == ["冬季供暖"]
    post_change(client, article, tags=["民生工程"])
    assert found("民生工程", Article.objects.all()) == ["冬季供暖"]


def test_the_index_follows_publication_and_withdrawal(people):
    article = ArticleFactory(headline="寒潮来袭", status="approved")
    BylineFactory(article=article, person=PersonFactory(name="赵一鸣"))
    search.index_article(article)
    assert found("寒潮") == []
    workflow.transition(article, "publish_now", user=people["editor"])
    assert found("赵一鸣") == ["寒潮来袭"]
    workflow.transition(article, "withdraw", user=people["editor"], note="重复发稿")
    assert found("寒潮") == []


def test_reindex_rebuilds_every_document(seed):
    ArticleSearch.objects.all().delete()
    assert found("信访") == []
    err = StringIO()
    call_command("reindex", "--batch-size", "2", stdout=StringIO(), stderr=err)
    assert found("信访")[0] == "滨江召开信访工作推进会"
    assert "6/6" in err.getvalue()


# --- suggestions and snippets ------------------------------------------------


@pytest.mark.parametrize(
    "headline, wanted",
    [
        ("滨江召开信访工作推进会", {"信访"}),
        ("民政部门推出养老服务新举措", {"民政", "养老", "养老服务"}),
        ("为适龄儿童开设疫苗接种点", {"疫苗接种", "接种"}),
        ("小学生体验冰雪运动", {"冰雪运动", "冬奥"}),
        ("滨江为农村寄递物流补“短板”", {"快递", "农村寄递"}),
    ],
)
def test_tag_suggestions_are_what_an_editor_would_choose(headline, wanted):
    items = parse_page(PAGE.read_text(encoding="utf-8")).items
    item = next(i for i in items if i.headline == headline)
    names = [b.name for b in item.bylines]
    suggestions = suggest_tags(headline, "\n".join(item.paragraphs), exclude=names)
    assert wanted & set(suggestions[:3])
    assert not set(suggestions) & {"陈立平", "韩冬", "郑可", "工作", "会议"}


def test_snippets_mark_the_match_and_escape_everything_else():
    query = search.parse("信访")
    text = "<b>开头</b>" + "一" * 100 + "全市信访工作会议召开" + "二" * 100
    snippet = search.snippet(text, query)
    assert "<mark>信访</mark>" in snippet
    assert "<b>" not in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert search.highlight("<i>信访</i>", query) == "&lt;i&gt;<mark>信访</mark>&lt;/i&gt;"


def test_jieba_is_not_loaded_by_unrelated_imports():
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE']='tests.settings';"
        "django.setup(); import articles.admin, articles.search, articles.search.tags, newsroom.urls;"
        "print('jieba' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_change_page_suggests_tags_not_yet_chosen(seed, people):
    from tests.newsroom import client_for

    article = Article.objects.get(headline="滨江召开信访工作推进会")
    Article.objects.filter(pk=article.pk).update(status="submitted")
    article.tags.add("信访工作")
    content = client_for(people["editor"]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    content = content.content.decode()
    assert 'data-tag="信访"' in content
    assert 'data-tag="信访工作"' not in content  # already chosen
    assert 'data-tag="韩冬"' not in content and 'data-tag="陈立平"' not in content
    assert "tag-suggestions.js" in content


def test_no_suggestions_for_those_who_cannot_edit(seed, people):
    from tests.newsroom import client_for

    article = Article.objects.get(headline="滨江召开信访工作推进会")
    content = client_for(people["photographer"]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    assert "nr-suggestion" not in content.content.decode()


@pytest.mark.django_db
def test_the_search_index_takes_changes_at_once_not_in_a_pending_list():
    """A pending list is read through by every search until a VACUUM merges it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'article_search_gin'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]
