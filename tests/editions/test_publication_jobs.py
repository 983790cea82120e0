"""Editions are published by background jobs: at once or at their time, once, with no cron."""

import datetime
from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import workflow
from articles.editions import publishing, tasks
from articles.models import Article, Edition, TransitionLog
from tests.concurrency import race
from tests.jobs import queued, run_jobs
from tests.newsroom import client_for

from .test_publishing import NOON, ready_edition

pytestmark = pytest.mark.django_db


def published_once(edition, articles):
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.PUBLISHED
    assert TransitionLog.objects.filter(edition=edition, action="publish").count() == 1
    assert TransitionLog.objects.filter(action="publish_with_edition").count() == articles
    assert Article.objects.published().count() == articles


def test_publish_now_returns_at_once_and_readers_see_all_of_it_when_its_job_has_run(people):
    chief = people["chief"]
    edition = workflow.sign_off(ready_edition(articles=3), user=chief)
    edition = workflow.request_publication(edition, user=chief)
    assert edition.status == Edition.Status.SIGNED_OFF and edition.scheduled_by == chief
    assert not Article.objects.published().exists()  # nothing half-published meanwhile
    [job] = queued(tasks.publish_when_due)
    assert job.args_kwargs["args"] == [edition.pk] and job.run_after <= timezone.now()
    assert run_jobs() == 1
    published_once(edition, 3)
    assert Edition.objects.get(pk=edition.pk).published_by == chief


def test_publish_now_refuses_on_the_click_what_the_preflight_finds(people):
    edition = workflow.sign_off(ready_edition(), user=people["chief"])
    workflow.transition(Article.objects.first(), "reopen", user=people["editor"])
    with pytest.raises(workflow.TransitionRefused, match="approved|通过"):
        workflow.request_publication(edition, user=people["chief"])
    assert not queued() and Edition.objects.get(pk=edition.pk).scheduled_at is None
    with pytest.raises(workflow.TransitionRefused):
        workflow.request_publication(edition, user=people["editor"])


def test_a_scheduled_edition_is_published_by_its_job_at_its_time_with_no_cron(people):
    at = NOON + datetime.timedelta(hours=1)
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        workflow.schedule(edition, user=people["chief"], at=at)
        [job] = queued(tasks.publish_when_due)
        assert job.run_after == at
        assert run_jobs() == 0  # not due: it waits
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1
        # Another job for it, and the sweep, find nothing left to do.
        tasks.publish_when_due.enqueue(edition.pk)
        assert run_jobs() == 1
        assert tasks.publish_missed_editions() == 0
    published_once(edition, 2)


def test_a_rescheduled_edition_is_published_at_its_new_time_only(people):
    first, later = NOON + datetime.timedelta(hours=1), NOON + datetime.timedelta(hours=3)
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        workflow.schedule(edition, user=people["chief"], at=first)
        workflow.schedule(edition, user=people["chief"], at=later)
    with time_machine.travel(first + datetime.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1  # the first time's job: not due any more, nothing done
        assert not Article.objects.published().exists()
    with time_machine.travel(later + datetime.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1
    published_once(edition, 2)


def test_an_edition_whose_job_was_lost_is_published_by_the_sweep(people):
    at = NOON + datetime.timedelta(hours=1)
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        workflow.schedule(edition, user=people["chief"], at=at)
    DBTaskResult.objects.all().delete()  # the enqueue lost (Redis away), or RQ lost its worker
    with time_machine.travel(at + datetime.timedelta(seconds=20), tick=False):
        assert tasks.publish_missed_editions() == 1
        assert tasks.publish_missed_editions() == 0
    published_once(edition, 2)


def test_an_edition_refused_at_its_time_says_why_on_the_planner_and_is_not_tried_again(people):
    chief = people["chief"]
    at = NOON + datetime.timedelta(hours=1)
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=chief)
        workflow.schedule(edition, user=chief, at=at)
        workflow.transition(Article.objects.first(), "reopen", user=people["editor"])
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1
        edition.refresh_from_db()
        assert edition.status == Edition.Status.SIGNED_OFF
        assert edition.publish_error.startswith("本期无法发布")
        assert tasks.publish_missed_editions() == 0
        shown = client_for(chief).get(reverse("admin:articles_edition_planner", args=[edition.pk]))
        assert "未能按时发布：本期无法发布" in shown.content.decode()
        # Reopened, the record of the refusal goes with the schedule.
        edition = workflow.reopen_edition(edition, user=chief)
        assert edition.publish_error == "" and edition.scheduled_at is None
    assert not Article.objects.published().exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_workers_running_the_publication_job_at_once_publish_it_once(people, monkeypatch):
    chief = people["chief"]
    edition = workflow.sign_off(ready_edition(articles=3), user=chief)
    workflow.request_publication(edition, user=chief)
    job = partial(tasks.publish_when_due.call, edition.pk)
    # The first holds the claimed edition until the second waits for it.
    results = race(job, job, monkeypatch, publishing, "_publish_articles")
    assert sorted(result["published"] for result in results.values()) == [False, True]
    published_once(edition, 3)


def test_the_chiefs_click_costs_the_same_queries_however_large_the_edition(people):
    chief = people["chief"]

    def click(articles):
        edition = workflow.sign_off(ready_edition(articles=articles), user=chief)
        with CaptureQueriesContext(connection) as captured:
            workflow.request_publication(edition, user=chief)
        Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PUBLISHED)
        return len(captured)

    small = click(3)
    assert click(30) == small
    # The preflight and the request (17); the publication's 201 for 60 are the job's.
    assert small <= 20
