"""A page's text is imported by a background job: once, all or nothing, its warnings shown when done."""

import datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.editions import imports
from articles.importer import tasks
from articles.models import Article, Edition, PageImport
from articles.permissions import Refused
from newsroom.models import JobState
from tests.factories import EditionFactory
from tests.jobs import queued, run_jobs
from tests.newsroom import client_for

pytestmark = pytest.mark.django_db

PAGE = "新闻标题\n\n本报讯（记者 林晓）第一段正文。\n\n\n\n图片说明写在这里。\n\n陈光 摄\n"
DATE = datetime.date(2026, 3, 1)


def test_an_import_waits_for_its_job_and_writes_nothing_before(people):
    row = imports.submit_import(PAGE, date=DATE, number=3, name="要闻", user=people["editor"])
    assert row.state == JobState.WAITING and not Article.objects.exists()
    [job] = queued(tasks.import_page_text)
    assert job.args_kwargs["args"] == [row.pk]
    assert run_jobs() == 1
    row.refresh_from_db()
    assert row.state == JobState.DONE and row.progress == 100
    assert row.result["created"] == 2 and row.result["warnings"][0]["line"] == 7
    assert Article.objects.count() == 2


def test_an_import_run_twice_imports_once(people):
    row = imports.submit_import(PAGE, date=DATE, number=3, user=people["editor"])
    run_jobs()
    tasks.import_page_text.enqueue(row.pk)
    assert run_jobs() == 1
    assert imports.run_import(row.pk) is None
    assert Article.objects.count() == 2


def test_a_failed_import_changes_nothing_and_says_why(people):
    EditionFactory(date=DATE, status=Edition.Status.SIGNED_OFF)
    row = imports.submit_import(PAGE, date=DATE, number=3, user=people["editor"])
    run_jobs()
    row.refresh_from_db()
    assert row.state == JobState.FAILED and "pages can only be imported" in row.error
    assert not Article.objects.exists() and not Edition.objects.get(date=DATE).pages.exists()
    shown = client_for(people["editor"]).get(
        reverse("admin:articles_page_import_status", args=[row.pk])
    )
    assert "导入失败，未写入任何内容" in shown.content.decode()


def test_an_import_that_stops_half_way_leaves_nothing_written(people, monkeypatch):
    from articles.importer import load

    real = load._Importer.run

    def run_then_fail(self):
        real(self)  # every article written…
        raise OSError("the database went away")  # …then the transaction is lost

    monkeypatch.setattr(load._Importer, "run", run_then_fail)
    row = imports.submit_import(PAGE, date=DATE, number=3, user=people["editor"])
    run_jobs()
    row.refresh_from_db()
    assert row.state == JobState.FAILED and row.error == "导入因错误中止，未写入任何内容。"
    assert not Article.objects.exists() and not Edition.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer"])
def test_only_the_desk_imports_or_watches_an_import(people, role):
    with pytest.raises(Refused):
        imports.submit_import(PAGE, date=DATE, number=3, user=people[role])
    row = PageImport.objects.create(text=PAGE, date=DATE, number=3, requested_by=people["editor"])
    url = reverse("admin:articles_page_import_status", args=[row.pk])
    assert client_for(people[role]).get(url).status_code == 403
    assert not Article.objects.exists()


def test_finished_imports_are_forgotten_after_the_jobs_are(people, settings):
    old = imports.submit_import(PAGE, date=DATE, number=3, user=people["editor"])
    run_jobs()
    waiting = imports.submit_import(PAGE, date=DATE, number=4, user=people["editor"])
    PageImport.objects.filter(pk=old.pk).update(
        finished_at=old.requested_at - datetime.timedelta(days=settings.TASKS_KEEP_DAYS + 1)
    )
    imports.forget_old_imports()
    assert list(PageImport.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert Article.objects.count() == 2  # the copy it wrote stays


def test_an_import_lost_with_its_worker_says_so_and_wrote_nothing(people):
    row = imports.submit_import(PAGE, date=DATE, number=3, user=people["editor"])
    DBTaskResult.objects.all().delete()  # its job lost (an RQ worker that died)
    imports.fail_lost_imports()
    assert PageImport.objects.get(pk=row.pk).state == JobState.WAITING  # not yet: it may be queued
    PageImport.objects.filter(pk=row.pk).update(
        requested_at=row.requested_at - imports.LOST_AFTER - datetime.timedelta(seconds=1)
    )
    imports.fail_lost_imports()
    row.refresh_from_db()
    assert row.state == JobState.FAILED and "请重新导入" in row.error
    assert imports.run_import(row.pk) is None  # a late job changes nothing
    assert not Article.objects.exists()
