"""The benchmark's admin table measured alone: no servers, no publication, the pages asked for."""

import shutil
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

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
