"""The benchmark's admin table measured alone, and the search's share of PostgreSQL."""

import shutil
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.perf import benchdata
from tests.perf.management.commands import benchmark

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_set():
    media = tempfile.mkdtemp()
    with override_settings(MEDIA_ROOT=media):
        benchdata.Builder(40, days=3, pictures=1).build()
        yield
    shutil.rmtree(media, ignore_errors=True)


def test_admin_only_times_the_admin_s_pages_and_starts_no_server(data_set, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # asked for, never used here
    started = []
    monkeypatch.setattr(benchmark.Command, "measure_http", lambda *a: started.append(a))
    monkeypatch.setattr(benchmark.Command, "time_publication", lambda *a: started.append(a))
    out = StringIO()
    call_command(
        benchmark.Command(),
        "--admin-only",
        "--only",
        "article list",
        "--articles",
        "40",
        stdout=out,
    )
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| article list")]
    assert not started
    # The two article-list pages, as each role that opens them.
    assert {row.split("|")[1].strip() for row in rows} == {
        "article list",
        "article list, published, page 50",
    }
    assert {row.split("|")[2].strip() for row in rows} == set(benchmark.ADMIN_ROLES)
    assert "desk queue" not in out.getvalue()
    assert "Publishing an edition" not in out.getvalue()


def report_of(ms, floor_rps, goal):
    label = "search, distinct words"
    return {
        "search_database_cpu": {label: ms},
        "floor": {"rps": floor_rps},
        "pages": [{"label": label, "goal": goal}],
    }


def test_the_search_ceiling_is_marked_when_postgresql_alone_misses_the_goal(monkeypatch):
    monkeypatch.setattr(benchmark.os, "cpu_count", lambda: 2)
    command = benchmark.Command(stdout=StringIO())
    # 5 ms of PostgreSQL's CPU a request on 2 cores: 400 req/s at most.
    command.print_search_ceiling(report_of(5.0, 6000, 0.15))
    command.print_search_ceiling(report_of(5.0, 2000, 0.15))
    within, beside = command.stdout._out.getvalue().splitlines()
    assert "at most 400 req/s, 0.07× ✗ the floor" in within
    assert "0.20× the floor" in beside and "✗" not in beside


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's CPU is read from its backend"
)
def test_the_search_s_database_share_is_taken_from_rendered_searches(data_set):
    sample = benchmark.Command().sample()
    with CaptureQueriesContext(connection) as context:
        costs = benchmark.Command().search_database_cpu(sample, {"search, distinct words"})
    assert set(costs) == {"search, distinct words"}
    assert all(ms >= 0 for ms in costs.values())
    # Every request rendered (the page cache off), none answered from a kept page.
    searches = [q for q in context.captured_queries if "articles_articlesearch" in q["sql"]]
    assert len(searches) >= 200
