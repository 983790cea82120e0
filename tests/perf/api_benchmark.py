"""Time the API's 50-item article page on generated data (manage.py api_benchmark).

Everything it creates is rolled back, so it may run against any database:
the numbers then reflect that database. Statuses change through the
workflow, as everywhere else.
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, ArticlePhoto, Byline, Correction, Section
from media.models import Photo, PhotoCredit
from people.models import Person
from tests.perf.benchdata import approve_on_record, reviewers

PARAGRAPH = "11月26日上午，全市重点项目推进会召开，会议通报了今年以来重点项目建设进展情况。"


class _Rollback(Exception):
    pass


def generate(articles):
    """Create articles published through the workflow, each with what a document shows."""
    editor = get_user_model().objects.create_user("api-benchmark-editor")
    editor.groups.add(Group.objects.get(name="Editor"))
    sections = [
        Section.objects.get_or_create(slug=f"api-benchmark-{n}", defaults={"name": f"测试栏目{n}"})[
            0
        ]
        for n in range(5)
    ]
    people = [Person.objects.create(name=f"测试{n}") for n in range(20)]
    for n in range(articles):
        article = Article.objects.create(
            headline=f"基准测试稿件第{n}篇",
            subheadline="副题",
            source="本报讯",
            body="\n".join([PARAGRAPH] * 8),
            summary=PARAGRAPH,
            section=sections[n % len(sections)],
            status=Article.Status.APPROVED,
        )
        article.tags.add(f"标签{n % 7}", f"标签{n % 11}")
        for position, role in enumerate(["reporter", "correspondent"]):
            person = people[(n + position) % len(people)]
            Byline.objects.create(article=article, person=person, role=role, position=position)
        photo = Photo.objects.create(
            image="photos/benchmark.jpg", width=1600, height=1067, caption=PARAGRAPH, alt_text="图"
        )
        PhotoCredit.objects.create(photo=photo, person=people[n % len(people)])
        ArticlePhoto.objects.create(article=article, photo=photo)
        approve_on_record([article], reviewers())
        workflow.transition(article, "publish_now", user=editor)
        if n % 10 == 0:
            Correction.objects.create(article=article, text="更正：原稿数字有误。")


def run(*, articles=200, requests=100, page_size=50):
    """Time requests GETs of a page_size-item page; return p50/p95 in ms and queries."""
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
    client = Client(HTTP_HOST=host.lstrip("."))
    url = f"{reverse('api:article-list')}?page_size={page_size}"
    timings = []
    try:
        with transaction.atomic():
            generate(articles)
            queries = []

            def count(execute, sql, *args):
                queries.append(sql)
                return execute(sql, *args)

            # Counted by a wrapper, not the debug query log, so DEBUG=0 counts too.
            with connection.execute_wrapper(count):
                response = client.get(url)  # also warms up imports and caches
            assert response.status_code == 200, response.content
            for _ in range(requests):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            result = {
                "articles": articles,
                "requests": requests,
                "page_size": len(response.json()["results"]),
                "queries": len(queries),
                "p50_ms": statistics.median(timings),
                "p95_ms": statistics.quantiles(timings, n=20)[-1]
                if len(timings) > 1
                else timings[0],
                "bytes": len(response.content),
            }
            raise _Rollback
    except _Rollback:
        pass
    return result
