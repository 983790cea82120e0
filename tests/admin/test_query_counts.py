"""The admin's busy pages cost a fixed number of queries, however much copy the newsroom holds.

Each page is opened as each role opens it with five articles on file, then
with fifty: the count of queries must not move, and stays under a ceiling.
A per-row query (a byline, a permission asked of each row) shows up as a
count that grows with the rows.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom.paginators import EstimatedCountPaginator
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "approved", "published", "returned"]

# (name, url, the most queries it may take). The 工作台 is the admin's index.
PAGES = [
    ("article list", "/admin/articles/article/", 15),
    ("published copy", "/admin/articles/article/?status__exact=published", 15),
    ("admin search", "/admin/articles/article/?q=新闻", 14),
    ("desk queue", "/admin/articles/deskqueue/", 12),
    ("工作台", "/admin/", 21),  # with the desk's failed jobs: three fixed queries
    # The filer's own draft: tag suggestions, the working copy, the word check.
    ("change form", "/admin/articles/article/{draft}/change/", 31),
    ("planner", "/admin/articles/edition/{edition}/planner/", 19),
]


def file_copy(count, *, reporter, page, section):
    """count articles in every state, each with two bylines, a credited photo and a tag."""
    states = itertools.cycle(STATES)
    for number in range(count):
        status = next(states)
        article = ArticleFactory(
            status=status,
            section=section,
            created_by=reporter,
            page=page if status == "approved" else None,
            position=number,
        )
        BylineFactory(article=article, person=reporter.person)
        BylineFactory(article=article, person=PersonFactory())
        PhotoCreditFactory(photo=ArticlePhotoFactory(article=article).photo)
        article.tags.add(f"标签{number}")


def counts(client, urls):
    found = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        found[name] = (response.status_code, len(queries.captured_queries))
    return found


@pytest.mark.parametrize("role", ["reporter", "photographer", "editor", "desk_head", "chief"])
def test_admin_pages_take_as_many_queries_for_fifty_articles_as_for_five(people, client, role):
    reporter = people["reporter"]
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    section = SectionFactory()
    file_copy(5, reporter=reporter, page=page, section=section)
    draft = Article.objects.filter(created_by=reporter, status="draft").earliest("pk")
    urls = {name: url.format(draft=draft.pk, edition=edition.pk) for name, url, _most in PAGES}
    client.force_login(people[role])
    counts(client, urls)  # the first request of a session reads what later ones keep
    few = counts(client, urls)
    file_copy(45, reporter=reporter, page=page, section=section)
    many = counts(client, urls)
    assert many == few
    for name, _url, most in PAGES:
        status, queries = many[name]
        assert status in {200, 302, 403}, (name, status)
        assert queries <= most, (name, queries)


class CountsToThree(EstimatedCountPaginator):
    exact_up_to = 3


def test_a_long_list_is_counted_only_up_to_a_bound_then_estimated():
    ArticleFactory.create_batch(5, status="draft")
    short = EstimatedCountPaginator(Article.objects.order_by("pk"), 2)
    assert short.count == 5  # exact while short
    long = CountsToThree(Article.objects.order_by("pk"), 2)
    if connection.vendor == "postgresql":
        # Past the bound, the planner's estimate, never fewer than were seen.
        assert long.count >= 4
    else:
        assert long.count == 5
    assert [a.pk for a in long.page(1)] == list(
        Article.objects.order_by("pk").values_list("pk", flat=True)[:2]
    )


def test_a_page_deep_in_the_list_holds_the_rows_a_plain_slice_holds_in_the_same_order():
    ArticleFactory.create_batch(7, status="published")
    ArticleFactory.create_batch(2, status="draft")
    rows = Article.objects.filter(status="published").select_related("section").order_by("-pk")
    paginator = EstimatedCountPaginator(rows, 3)
    expected = list(rows.values_list("pk", flat=True))
    assert [[a.pk for a in paginator.page(n)] for n in (1, 2, 3)] == [
        expected[0:3],
        expected[3:6],
        expected[6:7],
    ]
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(2))
    assert len(queries.captured_queries) == 2  # the keys, then their rows


def test_the_first_page_in_the_list_s_own_order_is_read_in_one_query():
    ArticleFactory.create_batch(5, status="published")
    paginator = EstimatedCountPaginator(Article.objects.order_by("-pk"), 3)
    paginator.count  # noqa: B018 (counted before, as the change list does)
    with CaptureQueriesContext(connection) as queries:
        first = [a.pk for a in paginator.page(1)]
    assert len(queries.captured_queries) == 1
    assert first == list(Article.objects.order_by("-pk").values_list("pk", flat=True)[:3])
