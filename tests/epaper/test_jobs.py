"""A page PDF is drawn and located by a background job: once, keyed by its PDF, never half-way."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.epaper import pages, tasks
from articles.epaper.render import PagePDFError
from articles.models import ArticleZone, Edition, Page
from articles.permissions import Refused
from newsroom.models import JobState
from tests.jobs import queued, run_jobs

from . import hostile
from .composing import demo_page

pytestmark = pytest.mark.django_db


def snapshot(page):
    """What readers and editors see of the page's PDF: its files, pictures, zones, version."""
    page = Page.objects.get(pk=page.pk)
    zones = sorted(page.zones.values_list("article_id", "left", "top", "width", "height"))
    return page.pdf.name, page.facsimile, zones, page.version


def test_a_submitted_pdf_waits_for_its_job_and_the_page_keeps_what_it_had(planned_page, people):
    _items, pdf = demo_page(1)
    page = pages.submit_pdf(planned_page, pdf, user=people["editor"])
    page.refresh_from_db()
    assert page.pdf_job == JobState.WAITING and page.pdf_job_progress == 0
    assert page.pdf_pending and default_storage.exists(page.pdf_pending.name)
    assert not page.pdf and page.facsimile == {} and not ArticleZone.objects.exists()
    [job] = queued(tasks.process_page_pdf)
    assert job.args_kwargs["args"] == [page.pk, page.pdf_job_digest]


def test_the_job_draws_and_locates_the_page_and_replaces_the_old_pdf(
    planned_page, people, django_capture_on_commit_callbacks
):
    editor = people["editor"]
    old = pages.attach_pdf(planned_page, demo_page(2)[1], user=editor)
    old_files = pages.stored_files(old.page)
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=editor)
    pending = page.pdf_pending.name
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs() == 1
    page.refresh_from_db()
    assert page.pdf_job == JobState.DONE and page.pdf_job_progress == 100
    assert page.pdf.name == pending and not page.pdf_pending
    assert page.has_facsimile
    assert set(page.zones.values_list("article_id", flat=True)) == set(
        page.articles.values_list("pk", flat=True)
    )
    [job] = DBTaskResult.objects.filter(task_path=tasks.process_page_pdf.module_path)
    assert job.status == "SUCCESSFUL" and job.return_value["found"] == 4
    for name in pages.stored_files(page):
        assert default_storage.exists(name)
    for name in old_files:  # the PDF it replaced, and its pictures
        assert not default_storage.exists(name)


def test_running_the_job_twice_changes_nothing_twice(planned_page, people):
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=people["editor"])
    run_jobs()
    done = snapshot(page)
    files = sorted(default_storage.listdir(page.pdf.name.rsplit("/", 1)[0])[1])
    again = tasks.process_page_pdf.enqueue(page.pk, page.pdf_job_digest)
    assert run_jobs() == 1
    assert DBTaskResult.objects.get(pk=again.id).return_value == {"page": page.pk, "done": False}
    assert pages.process_pdf(page.pk, page.pdf_job_digest, claim="another job") is None
    assert snapshot(page) == done
    assert sorted(default_storage.listdir(page.pdf.name.rsplit("/", 1)[0])[1]) == files


def test_a_job_for_a_replaced_pdf_does_nothing(planned_page, people):
    editor = people["editor"]
    first = pages.submit_pdf(planned_page, demo_page(2)[1], user=editor)
    first_digest, first_file = first.pdf_job_digest, first.pdf_pending.name
    second = pages.submit_pdf(planned_page, demo_page(1)[1], user=editor)
    assert pages.process_pdf(second.pk, first_digest) is None
    run_jobs()
    second.refresh_from_db()
    assert second.pdf_job == JobState.DONE and second.pdf.name != first_file
    assert sorted(second.zones.values_list("article_id", flat=True)) == sorted(
        second.articles.values_list("pk", flat=True)
    )


def test_a_job_another_job_is_drawing_is_left_to_it_until_that_one_is_overdue(planned_page, people):
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=people["editor"])
    Page.objects.filter(pk=page.pk).update(
        pdf_job=JobState.PROCESSING, pdf_job_claim="job-a", pdf_job_at=timezone.now()
    )
    assert pages.process_pdf(page.pk, page.pdf_job_digest, claim="job-b") is None
    # The same job, run again after its worker was lost, takes up its own work.
    assert pages.process_pdf(page.pk, page.pdf_job_digest, claim="job-a").found == 4
    page = pages.submit_pdf(planned_page, demo_page(2)[1], user=people["editor"])
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Page.objects.filter(pk=page.pk).update(
        pdf_job=JobState.PROCESSING, pdf_job_claim="job-a", pdf_job_at=long_ago
    )
    assert pages.process_pdf(page.pk, page.pdf_job_digest, claim="job-b") is not None


def test_a_pdf_that_stops_its_workers_again_and_again_is_failed_with_the_reason(
    planned_page, people, settings
):
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=people["editor"])
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Page.objects.filter(pk=page.pk).update(
        pdf_job=JobState.PROCESSING,
        pdf_job_at=long_ago,
        pdf_job_attempts=settings.TASKS_MAX_ATTEMPTS,
    )
    assert pages.process_pdf(page.pk, page.pdf_job_digest, claim="job-z") is None
    page.refresh_from_db()
    assert page.pdf_job == JobState.FAILED
    assert "中断" in page.pdf_job_error and not page.pdf


def test_a_failed_job_keeps_the_old_pdf_says_why_and_may_be_run_again(planned_page, people):
    editor = people["editor"]
    pages.attach_pdf(planned_page, demo_page(1)[1], user=editor)
    before = snapshot(planned_page)
    page = pages.submit_pdf(planned_page, hostile.many_characters(), user=editor)
    run_jobs()
    page.refresh_from_db()
    assert page.pdf_job == JobState.FAILED and "个字符" in page.pdf_job_error
    assert snapshot(page)[:3] == before[:3]
    with pytest.raises(Refused):
        pages.retry_pdf(page, user=people["reporter"])
    pages.retry_pdf(page, user=editor)
    page.refresh_from_db()
    assert page.pdf_job == JobState.WAITING and page.pdf_job_error == ""
    assert len(queued(tasks.process_page_pdf)) == 1


def test_a_job_whose_edition_was_signed_off_meanwhile_changes_nothing(planned_page, people):
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=people["editor"])
    Edition.objects.filter(pk=page.edition_id).update(status=Edition.Status.SIGNED_OFF)
    run_jobs()
    page.refresh_from_db()
    assert page.pdf_job == JobState.FAILED and "签发" in page.pdf_job_error
    assert not page.pdf and not ArticleZone.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "nobody"])
def test_only_an_editor_submits_a_page_pdf(planned_page, people, role):
    with pytest.raises(Refused):
        pages.submit_pdf(planned_page, demo_page(1)[1], user=people[role])
    planned_page.refresh_from_db()
    assert not planned_page.pdf_pending and planned_page.pdf_job == ""
    assert not queued()


def test_a_refused_file_is_neither_stored_nor_queued(planned_page, people):
    with pytest.raises(PagePDFError, match="50 × 5000"):
        pages.submit_pdf(planned_page, hostile.strip_page(), user=people["editor"])
    planned_page.refresh_from_db()
    assert not planned_page.pdf_pending and planned_page.pdf_job == ""
    assert not queued()


def test_a_lost_job_is_enqueued_again_by_the_sweep(planned_page, people):
    page = pages.submit_pdf(planned_page, demo_page(1)[1], user=people["editor"])
    DBTaskResult.objects.all().delete()  # the enqueue that never reached the queue
    assert tasks.resume_stalled_pages() == 0  # not yet: it may just be waiting its turn
    with time_machine.travel(timezone.now() + pages.WAITING_TOO_LONG * 2):
        assert tasks.resume_stalled_pages() == 1
        assert tasks.resume_stalled_pages() == 0  # counted from then
        run_jobs()
    page.refresh_from_db()
    assert page.pdf_job == JobState.DONE
