"""The public search page: /search/?q=…"""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search, workflow
from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, SectionFactory, UserFactory

from .conftest import ago, credit, publish

pytestmark = pytest.mark.django_db
URL = reverse("articles:search")


def indexed(**kwargs):
    article = publish(**kwargs)
    search.index_article(article)
    return article


def test_results_show_highlighted_snippets_and_nothing_unescaped(client):
    indexed(headline="全市信访工作会议召开", body="<b>粗体</b>会上总结了信访工作。")
    content = client.get(URL, {"q": "信访"}).content.decode()
    assert "全市<mark>信访</mark>工作会议召开" in content
    assert "总结了<mark>信访</mark>工作" in content
    assert "&lt;b&gt;粗体&lt;/b&gt;" in content and "<b>粗体" not in content


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "returned", "approved", "spiked", "withdrawn"]
)
def test_unpublished_copy_never_appears(client, status):
    article = ArticleFactory(headline="内部稿件：寒潮预警", status=status)
    search.index_article(article)
    content = client.get(URL, {"q": "寒潮"}).content.decode()
    assert "内部稿件" not in content
    assert "0 articles found" in content or "找到 0 篇" in content


def test_filters_narrow_the_results(client):
    city = SectionFactory(name="城市", slug="city")
    person = PersonFactory(name="李涛")
    a = indexed(headline="快递进村一", section=city, kind="news")
    credit(a, person)
    a.tags.add("快递")
    search.index_article(a)
    indexed(headline="快递进村二", kind="brief", published_at=ago(days=40))

    def found(**params):
        cache.clear()  # a slug and a name can be the same URL: render each time to read the context
        return [r.headline for r in client.get(URL, {"q": "快递", **params}).context["articles"]]

    assert sorted(found()) == ["快递进村一", "快递进村二"]
    assert found(section="city") == ["快递进村一"]
    assert found(kind="brief") == ["快递进村二"]
    assert found(person=person.slug) == ["快递进村一"]
    assert found(person="李涛") == ["快递进村一"]  # typed by name
    assert found(person="没这个人") == []
    assert found(tag="快递") == ["快递进村一"]
    since = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
    assert found(since=since) == ["快递进村一"]
    assert found(until=since) == ["快递进村二"]


def test_results_sort_by_relevance_or_newest(client):
    indexed(headline="养老服务新规", body="社区。", published_at=ago(days=30))
    indexed(headline="社区新闻", body="也提到养老。", published_at=ago(hours=1))

    def titles(sort):
        response = client.get(URL, {"q": "养老", "sort": sort})
        return [a.headline for a in response.context["articles"]]

    assert titles("relevance") == ["养老服务新规", "社区新闻"]
    assert titles("newest") == ["社区新闻", "养老服务新规"]


@pytest.mark.parametrize(
    "query",
    ["", "。。。", "& | ! ( ) : * ' \\", "信" * 10_000, "<script>alert(1)</script>"],
    ids=["empty", "punctuation", "operators", "10k", "script"],
)
def test_hostile_queries_answer_200_with_a_clear_empty_result(client, query):
    indexed(headline="信访工作会议")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert list(response.context["articles"]) == []


def test_unknown_filter_values_are_refused_not_crashed(client):
    indexed(headline="信访工作会议")
    response = client.get(URL, {"q": "信访", "section": "nope", "since": "2022-13-45"})
    assert response.status_code == 200
    assert "error" in response.content.decode()


def test_pagination_keeps_the_query(client):
    for i in range(25):
        indexed(headline=f"供暖消息{i}")
    content = client.get(URL, {"q": "供暖"}).content.decode()
    assert "q=%E4%BE%9B%E6%9A%96&amp;page=2" in content


def count_queries(client):
    """Return the queries of a search with nothing kept (the section bar is a kept part)."""

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, {"q": "信访"}).status_code == 200
    return len(context.captured_queries)


def test_the_search_page_runs_the_same_queries_for_1_or_30_results(client, monkeypatch):
    from .conftest import add_photo

    # Where the newest matches are looked for depends on how many the last
    # month holds (at most three windows): here, all time at once.
    monkeypatch.setattr(search.Ranked, "wider", lambda self, window, found: None)

    def make(n):
        for i in range(n):
            article = indexed(headline=f"信访稿件{i}", section=SectionFactory(slug=f"s{i}-{n}"))
            credit(article, PersonFactory(), PersonFactory())
            add_photo(article, PersonFactory())
            article.tags.add(f"标签{i}")

    make(1)
    one = count_queries(client)
    make(29)
    assert Article.objects.published().count() == 30
    assert count_queries(client) == one


def test_people_and_tags_are_typed_not_listed(client):
    for i in range(5):
        credit(indexed(headline=f"稿件{i}"), PersonFactory())
    content = client.get(URL, {"q": "稿件"}).content.decode()
    assert 'name="person"' in content and '<select name="person"' not in content
    assert 'name="tag"' in content and '<select name="tag"' not in content


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking the newest matches is PostgreSQL's"
)
def test_relevance_ranks_the_newest_matches_and_every_match_is_still_found(client, monkeypatch):
    monkeypatch.setattr("articles.search.query.CANDIDATES", 2)
    best_but_old = indexed(headline="信访信访信访", body="信访。", published_at=ago(days=400))
    plain = [
        indexed(headline=f"会议{i}", body="会上谈到信访。", published_at=ago(hours=i))
        for i in (1, 2)
    ]
    found = list(search.search(Article.objects.published(), "信访"))
    # Only the two newest are ranked; the old one, best as it is, follows them.
    assert [a.pk for a in found] == [plain[0].pk, plain[1].pk, best_but_old.pk]
    monkeypatch.setattr("articles.search.query.CANDIDATES", 3)
    assert list(search.search(Article.objects.published(), "信访"))[0] == best_but_old


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking the newest matches is PostgreSQL's"
)
def test_a_story_that_leads_with_the_word_ranks_above_one_that_mentions_it_deep_down(client):
    filler = "市民在公园里散步，孩子们放风筝，老人们下棋聊天。" * 12  # past the lead
    body = "信访窗口延长服务时间。" + filler
    indexed(headline="窗口延时服务", body=body, published_at=ago(hours=3))
    # Newer, and naming the word six times: newest first, or by count, it would lead.
    indexed(headline="周末城市生活", body=filler + "信访。" * 6, published_at=ago(hours=2))
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL, {"q": "信访"}).content.decode()
    assert content.index("窗口延时服务") < content.index("周末城市生活")
    # Ranked from the rows and their leads, not from the token vectors.
    ranked = [q["sql"] for q in queries if "~*" in q["sql"]]
    assert ranked and all('"vector"' not in sql.split(" FROM ")[0] for sql in ranked)


def test_past_the_limit_the_page_says_more_than_instead_of_counting_everything(client, monkeypatch):
    monkeypatch.setattr("articles.search.query.COUNT_LIMIT", 2)
    monkeypatch.setattr("articles.search.query.CANDIDATES", 2)  # more matches than it ranks
    for i in range(4):
        indexed(headline=f"信访稿件{i}")
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL, {"q": "信访"}).content.decode()
    assert "找到 2 多篇与“信访”有关的稿件" in content
    assert content.count('class="result"') == 4
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql for sql in counts)


def test_with_fewer_matches_than_it_ranks_the_count_is_still_bounded(client, monkeypatch):
    monkeypatch.setattr("articles.search.query.COUNT_LIMIT", 2)
    for i in range(4):
        indexed(headline=f"信访稿件{i}")
    content = client.get(URL, {"q": "信访"}).content.decode()
    assert "找到 2 多篇与“信访”有关的稿件" in content
    assert content.count('class="result"') == 4


def test_search_pages_are_kept_and_dropped_with_the_copy_they_show(client):
    indexed(headline="信访工作会议召开")
    assert "工作会议召开" in client.get(URL, {"q": "信访", "utm_source": "x"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(URL, {"q": "信访"})
    assert len(queries) == 0 and "工作会议召开" in kept.content.decode()
    indexed(headline="信访窗口延时服务")  # its publication drops the pages of the newest copy
    assert "窗口延时服务" in client.get(URL, {"q": "信访"}).content.decode()
    assert client.get(URL, {"q": "信访", "page": "2"}).status_code == 404


def test_the_filters_list_a_section_from_its_first_published_article(client):
    indexed(headline="信访稿件", section=SectionFactory(name="城市", slug="city"))
    assert 'value="city"' in client.get(URL, {"q": "信访"}).content.decode()
    indexed(headline="信访来信", section=SectionFactory(name="乡村", slug="country"))
    assert 'value="country"' in client.get(URL, {"q": "信访"}).content.decode()


def test_the_filters_show_what_each_reader_chose(client):
    for slug in ("city", "country"):
        indexed(headline=f"信访{slug}", section=SectionFactory(slug=slug))

    def chosen(**params):
        content = client.get(URL, {"q": "信访", **params}).content.decode()
        return [slug for slug in ("city", "country") if f'value="{slug}" selected' in content]

    assert chosen(section="city") == ["city"]
    assert chosen(section="country") == ["country"]
    assert chosen() == []
    since = {"since_year": "2025", "since_month": "3", "since_day": "9"}
    content = client.get(URL, {"q": "信访", **since}).content.decode()
    assert 'value="2025" selected' in content and 'value="9" selected' in content
    content = client.get(URL, {"q": "信访", **since, "since_day": "10"}).content.decode()
    assert 'value="10" selected' in content and 'value="9" selected' not in content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_the_newest_matches_are_not_found_by_walking_the_date_index(client, sort):
    # Walking the date index backwards, PostgreSQL reads each row's token
    # vector to check it: a common word then costs ten times as much.
    for i in range(3):
        indexed(headline=f"信访稿件{i}")
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "信访", "sort": sort})
    newest = [q["sql"] for q in queries if "@@" in q["sql"] and "ORDER BY" in q["sql"]]
    assert newest
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table too big to read whole
        for sql in newest:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Scan Backward" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the newest looked for by date")
def test_matches_found_in_all_time_are_counted_as_they_are_sorted(client, monkeypatch):
    # Fewer than the candidates in the last month, more in all time: the page
    # sorts every match for its newest and counts them in that same pass.
    monkeypatch.setattr("articles.search.query.CANDIDATES", 20)
    for i in range(25):
        indexed(headline=f"信访稿件{i}", published_at=ago(days=60 + i))
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL, {"q": "信访"}).content.decode()
    assert "找到 25 篇与“信访”有关的稿件" in content
    assert content.count('class="result"') == 20
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all(" OVER " in sql for sql in counts)
    # Joined to their rows along an index (no index gives the order by date),
    # and the plan settings set back for what follows.
    sql = [q["sql"] for q in queries]
    on = sql.index("SET LOCAL enable_indexscan = on")
    assert " OVER " in sql[on + 1] and sql[on + 2] == "SET LOCAL enable_indexscan = off"
    last = client.get(URL, {"q": "信访", "page": "2"}).content.decode()
    assert last.count('class="result"') == 5 and "<mark>信访</mark>稿件24" in last


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the month's ids, PostgreSQL's")
def test_copy_filed_long_ago_and_published_today_is_the_newest_match(client, monkeypatch, settings):
    # The month's matches are looked for from the least id published in it:
    # a piece drafted before all of them, published now, moves that floor.
    monkeypatch.setattr("articles.search.query.CANDIDATES", 20)
    settings.PUBLIC_PAGE_CACHE = False  # the page rendered each time, its floor kept
    drafted = ArticleFactory(headline="信访旧稿今日刊发", status=Article.Status.APPROVED)
    for i in range(25):
        indexed(headline=f"信访稿件{i}", published_at=ago(days=2, hours=i))
    first = client.get(URL, {"q": "信访"}).content.decode()
    assert "旧稿今日刊发" not in first and first.count('class="result"') == 20
    search.index_article(drafted)
    with time_machine.travel(ago(minutes=5), tick=False):
        workflow.transition(drafted, "publish_now", user=UserFactory(is_superuser=True))
    content = client.get(URL, {"q": "信访", "sort": "newest"}).content.decode()
    assert content.index("旧稿今日刊发") < content.index("稿件0")
    ranked = client.get(URL, {"q": "信访"}).content.decode()
    assert "旧稿今日刊发" in ranked


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_a_long_word_is_found_only_where_it_is_printed_whole(client, sort):
    # 心理学 and 理学家 both printed, never 心理学家: its trigrams, apart.
    indexed(headline="心理学教授谈睡眠", body="这位理学家说，心理学也讲究作息。")
    indexed(headline="心理学家进社区", body="心理学家为居民答疑。")
    content = client.get(URL, {"q": "心理学家", "sort": sort}).content.decode()
    assert "进社区" in content and "谈睡眠" not in content
    assert "找到 1 篇与“心理学家”有关的稿件" in content


def test_words_of_three_and_four_characters_are_found_in_headline_body_and_credits(client):
    article = indexed(headline="市检察院调研基层", body="检察官走进社区，宣讲防范电信诈骗。")
    credit(article, PersonFactory(name="欧阳明远"))
    search.index_article(article)
    for word in ("检察院", "电信诈骗", "欧阳明远"):
        assert "调研基层" in client.get(URL, {"q": word}).content.decode(), word


def test_a_results_credits_are_read_once_per_version_of_the_article(client, settings):
    from articles.cache import content_changed

    settings.PUBLIC_PAGE_CACHE = False  # every search rendered, as for a word nobody asked yet
    article = indexed(headline="信访工作会议召开")
    credit(article, PersonFactory(name="司勇"))
    assert "司勇" in client.get(URL, {"q": "信访"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL, {"q": "会议"}).content.decode()
    assert "司勇" in content
    assert not [q for q in queries.captured_queries if "articles_byline" in q["sql"]]
    # A change through the write path drops the kept line with the article's other parts.
    credit(article, PersonFactory(name="米雪"), start=1)
    content_changed(articles=[article])
    assert "米雪" in client.get(URL, {"q": "工作"}).content.decode()


def test_a_results_kept_frame_links_its_article_and_section_around_each_querys_highlights(
    client, settings
):
    settings.PUBLIC_PAGE_CACHE = False  # every search rendered
    section = SectionFactory(name="要闻")
    article = indexed(headline="信访工作会议召开", section=section)
    for word, title in [
        ("信访", "<mark>信访</mark>工作会议召开"),
        ("会议", "信访工作<mark>会议</mark>召开"),
    ]:
        content = client.get(URL, {"q": word}).content.decode()  # the frame built, then kept
        assert f'<a href="{article.get_absolute_url()}">{title}</a>' in content
        assert f'<a class="section-link" href="{section.get_absolute_url()}">要闻</a>' in content


def test_a_results_kept_frame_links_under_the_prefix_it_is_served_at(client, settings):
    """One frame per script prefix, as an article names its address (test_pages)."""
    from django.urls import clear_script_prefix, set_script_prefix

    settings.PUBLIC_PAGE_CACHE = False
    article = indexed(headline="信访工作会议召开")
    links = []
    for prefix, word in [("/", "信访"), ("/paper/", "会议"), ("/", "工作")]:
        set_script_prefix(prefix)  # as the WSGI handler does (the test client does not)
        try:
            content = client.get(URL, {"q": word}).content.decode()
        finally:
            clear_script_prefix()
        links.append(content.split('<h3 class="result-title"><a href="', 1)[1].split('"', 1)[0])
    path = f"/articles/{article.pk}/"
    assert links == [path, f"/paper{path}", path]


def test_a_search_without_filters_builds_no_filter_form(client, monkeypatch):
    from articles.site.filters import SearchFilter

    indexed(headline="信访工作会议召开")
    client.get(URL, {"q": "信访", "section": ""})  # the filters' part is built and kept
    built = []
    monkeypatch.setattr(SearchFilter, "__init__", lambda *args, **kwargs: built.append(args))
    content = client.get(URL, {"q": "会议", "section": ""}).content.decode()
    assert "信访工作<mark>会议</mark>召开" in content
    assert built == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
# Transactional, so that the search can run outside any transaction; the
# migrations' rows (role groups) restored after each flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("inside_a_transaction", [False, True])
def test_the_plan_settings_of_a_search_end_with_it(inside_a_transaction):
    from django.db import transaction

    indexed(headline="信访工作会议召开")

    def settings_after_a_search():
        ranked = search.Ranked(Article.objects.published(), "信访")
        assert ranked.count() == 1 and len(ranked[0:20]) == 1
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            seqscan = cursor.fetchone()[0]
            cursor.execute("SHOW enable_indexscan")
            return seqscan, cursor.fetchone()[0]

    if inside_a_transaction:
        with transaction.atomic():
            assert settings_after_a_search() == ("on", "on")
    else:
        assert settings_after_a_search() == ("on", "on")
