"""The article list's search: every match the user may see, the newest ranked first."""

import pytest
from django.contrib.admin.views.main import ORDER_VAR
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import permissions, search
from articles.copy.admin.articles import ArticleAdmin, CopySearch
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:articles_article_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the newest matches ranked alone, PostgreSQL's"
)


def filed(headline, *, body="会议总结了去年的工作。", status="draft", **kwargs):
    article = ArticleFactory(headline=headline, body=body, status=status, **kwargs)
    search.index_article(article)
    return article


def fillers(count):
    """Copy that does not match: it moves the highest id on."""
    for number in range(count):
        filed(f"我市召开第{number}次工作会议")


def pages(client, **params):
    """Return the keys of every page of the search, page after page, and how many it says."""
    found, number = [], 1
    while True:
        response = client.get(URL, {"q": "信访", **params, "p": number})
        assert response.status_code == 200
        changelist = response.context["cl"]
        found += [article.pk for article in changelist.result_list]
        if number >= changelist.paginator.num_pages:
            return found, changelist.result_count
        number += 1


def in_one_order(user, **kwargs):
    """Every match as one ORDER BY sorts them (a list Django reads whole)."""
    visible = permissions.visible_articles(user, Article.objects.all())
    ranked = CopySearch(visible, "信访", **kwargs)
    results = search.matching(visible, "信访", exact=True).order_by(*ranked.ordering())
    return list(results.values_list("pk", flat=True))


@pytest.fixture
def small_pages(monkeypatch):
    """Three to a page, the newest four matches ranked: the pages cross the candidates."""
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 3)
    monkeypatch.setattr("articles.search.query.CANDIDATES", 4)


@on_postgresql
def test_every_match_is_listed_the_newest_by_relevance_then_the_rest_newest_first(
    admin_client, superuser, small_pages
):
    # Best of all (the word in its headline), but older than the newest four matches.
    best_but_old = filed("信访工作会议召开", body="信访。")
    plain = [filed(f"会议{n}", body=f"会上谈到信访。{n}") for n in range(5)]
    leading = filed("窗口延时服务", body="信访窗口延长服务时间。")  # the word in its lead
    newest_in_headline = filed("信访窗口", body="窗口。")
    fillers(2)
    found, count = pages(admin_client)
    # The newest four ranked (headline, then lead, then newest); then the rest by id.
    assert found == [
        newest_in_headline.pk,
        leading.pk,
        plain[4].pk,
        plain[3].pk,
        plain[2].pk,
        plain[1].pk,
        plain[0].pk,
        best_but_old.pk,
    ]
    assert count == 8
    # The same set as every match of the engine, and the order the list has when read whole.
    assert set(found) == set(
        search.search(Article.objects.all(), "信访").values_list("pk", flat=True)
    )
    assert found == in_one_order(superuser)


@on_postgresql
def test_a_match_older_than_the_window_is_still_found_on_a_later_page(
    admin_client, small_pages, monkeypatch
):
    monkeypatch.setattr(CopySearch, "FIRST_SPAN", 6)  # ids: the newest six pieces of copy
    oldest = filed("信访工作会议召开", body="信访。")
    fillers(3)
    recent = [filed(f"会议{n}", body=f"会上谈到信访。{n}") for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        found, count = pages(admin_client)
    assert found[:4] == [recent[4].pk, recent[3].pk, recent[2].pk, recent[1].pk]
    assert found[4:] == [recent[0].pk, oldest.pk]
    assert count == 6
    # The newest four were found among the highest ids, through the word's index.
    windowed = [q["sql"] for q in queries if '"articles_articlesearch"."article_id" >=' in q["sql"]]
    assert windowed


@on_postgresql
def test_when_the_window_holds_too_few_the_search_looks_wider(
    admin_client, small_pages, monkeypatch
):
    monkeypatch.setattr(CopySearch, "FIRST_SPAN", 3)
    old = [filed(f"会议{n}", body=f"会上谈到信访。{n}") for n in range(4)]
    fillers(4)
    newest = filed("信访窗口", body="窗口。")
    found, count = pages(admin_client)
    assert found == [newest.pk, old[3].pk, old[2].pk, old[1].pk, old[0].pk]
    assert count == 5


@pytest.mark.parametrize("paged", [False, True])
def test_a_reporter_finds_only_the_copy_they_could_see_before(people, client, paged, monkeypatch):
    if paged:
        monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
        monkeypatch.setattr("articles.search.query.CANDIDATES", 2)
    reporter, other = people["reporter"], people["other_reporter"]
    own = [filed(f"信访稿件{n}", created_by=reporter) for n in range(3)]
    others = [
        filed("信访来信", created_by=other),
        filed("信访来稿", created_by=other, status="submitted"),
        filed("信访见报", created_by=other, status="published"),
    ]
    client.force_login(reporter)
    found, count = pages(client)
    visible = permissions.visible_articles(reporter, Article.objects.all())
    assert sorted(found) == sorted(search.search(visible, "信访").values_list("pk", flat=True))
    assert sorted(found) == sorted(a.pk for a in own) and count == 3
    assert not {a.pk for a in others} & set(found)


@pytest.mark.parametrize("paged", [False, True])
def test_a_column_chosen_to_sort_by_orders_the_matches_instead_of_relevance(
    admin_client, paged, monkeypatch
):
    if paged:
        monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
        monkeypatch.setattr("articles.search.query.CANDIDATES", 2)
    for length in [3, 1, 4, 2]:
        filed(f"信访稿件{length}", body="会议召开。" * length)
    filed("关于信访的通知", body="会议召开。" * 2)  # the best match, as long as another
    fillers(2)
    column = admin_client.get(URL).context["cl"].list_display.index("char_count")
    found, count = pages(admin_client, **{ORDER_VAR: str(column)})
    lengths = dict(Article.objects.filter(pk__in=found).values_list("pk", "char_count"))
    assert found == sorted(found, key=lambda pk: (lengths[pk], -pk))
    assert count == 5


def test_the_article_autocomplete_finds_copy_by_its_words(admin_client, small_pages):
    wanted = filed("信访工作会议召开")
    filed("我市召开工作会议")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "articlephoto",
            "field_name": "article",
            "term": "信访",
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(wanted.pk)]


@on_postgresql
def test_a_search_of_many_pages_takes_as_many_queries_for_sixty_matches_as_for_ten(
    admin_client, monkeypatch
):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 5)
    monkeypatch.setattr("articles.search.query.CANDIDATES", 8)
    # Where the newest are looked for depends on how many the newest ids
    # hold (a window or two, or all time): here, all time at once.
    monkeypatch.setattr(CopySearch, "FIRST_SPAN", 10**12)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(URL, {"q": "信访"}).status_code == 200
        return len(context.captured_queries)

    for n in range(10):
        filed(f"信访稿件{n}")
    queries()  # the session's first request reads what later ones keep
    few = queries()
    for n in range(50):
        filed(f"信访稿件{n}")
    assert queries() == few


@on_postgresql
def test_a_word_the_newest_copy_does_not_hold_is_found_in_all_time(admin_client, monkeypatch):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    monkeypatch.setattr("articles.search.query.CANDIDATES", 2)
    monkeypatch.setattr(CopySearch, "FIRST_SPAN", 3)
    old = [filed(f"信访稿件{n}") for n in range(3)]
    fillers(5)
    with CaptureQueriesContext(connection) as context:
        found, count = pages(admin_client)
    assert found == [a.pk for a in reversed(old)] and count == 3
    # Never along an index for all time: the primary key gives the order by
    # id, and PostgreSQL would walk it reading every row's token vector.
    assert not [q for q in context.captured_queries if "enable_indexscan = on" in q["sql"]]


@on_postgresql
def test_show_all_lists_the_matches_in_the_order_of_the_pages(admin_client, small_pages):
    filed("信访工作会议召开", body="信访。")
    for n in range(5):
        filed(f"会议{n}", body=f"会上谈到信访。{n}")
    filed("信访窗口", body="窗口。")
    found, _count = pages(admin_client)
    response = admin_client.get(URL, {"q": "信访", "all": ""})
    assert [a.pk for a in response.context["cl"].result_list] == found
