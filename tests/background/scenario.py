"""What the live tests do inside the project's own processes (`manage.py shell -c`).

The worker under test is another process, so the data it reads must be
committed, and the test reads back what it wrote the same way: each
function prints one JSON value.
"""

import json

from django.contrib.auth.models import Group
from django.utils import timezone


def say(value):
    print(json.dumps(value, default=str))


def enqueue(path, *args):
    from django.utils.module_loading import import_string

    say(import_string(path).enqueue(*args).id)


def job(result_id):
    """The job's status, workers and return value, as the task framework reports them."""
    from newsroom.tasks import probe

    result = probe.get_backend().get_result(result_id)
    say(
        {
            "status": str(result.status),
            "workers": result.worker_ids,
            "value": result._return_value,
            "started": result.started_at,
            "enqueued": result.enqueued_at,
        }
    )


def work_done(prefix):
    from newsroom.models import WorkDone

    say(sorted(WorkDone.objects.filter(key__startswith=prefix).values_list("key", flat=True)))


def workers():
    from newsroom.models import TaskWorker

    now = timezone.now()
    say(
        {
            w.id: {"silent": (now - w.seen_at).total_seconds(), "stopped": bool(w.stopped_at)}
            for w in TaskWorker.objects.all()
        }
    )


def submit_page_pdf():
    """An editor submits the demo's 第1版 for a page carrying its copy; print the page's id."""
    import datetime

    from articles.epaper import pages
    from articles.models import Article, Edition
    from people.models import Person
    from tests.epaper.composing import demo_page
    from tests.factories import EditionFactory, PageFactory, UserFactory

    editor = UserFactory(username="live-editor")
    editor.groups.add(Group.objects.get(name="Editor"))
    Person.objects.create(name="苏文", user=editor)
    edition = EditionFactory(date=datetime.date(2026, 11, 27), status=Edition.Status.PLANNING)
    page = PageFactory(edition=edition, number=1, name="要闻")
    items, pdf = demo_page(1)
    for position, item in enumerate(items, start=1):
        Article.objects.create(
            kind="photo" if item.kind == "photo" else "news",
            headline=item.headline,
            body="\n\n".join(item.paragraphs),
            status=Article.Status.APPROVED,
            page=page,
            position=position,
        )
    say(pages.submit_pdf(page, pdf, user=editor).pk)


def page_pdf(page_id):
    from articles.models import Page

    page = Page.objects.get(pk=page_id)
    say(
        {
            "job": page.pdf_job,
            "error": page.pdf_job_error,
            "facsimile": page.has_facsimile,
            "zones": page.zones.count(),
        }
    )


def _user(role, name):
    """A new account in role, writing as a new person called name."""
    import uuid

    from people.models import Person
    from tests.factories import UserFactory

    user = UserFactory(username=f"live-{uuid.uuid4().hex[:10]}", email=f"{name}@example.com")
    user.groups.add(Group.objects.get(name=role))
    Person.objects.create(name=name, user=user)
    return user


def schedule_edition(seconds):
    """The chief signs off a ready edition and schedules it `seconds` from now; print its id."""
    import datetime
    import random

    from articles import workflow
    from tests.editions.test_publishing import ready_edition

    chief = _user("Chief editor", "高远")
    day = datetime.date(2031, 1, 1) + datetime.timedelta(days=random.randrange(20_000))
    edition = ready_edition(articles=3, date=day, number=random.randrange(10**6, 10**7))
    workflow.sign_off(edition, user=chief)
    at = timezone.now() + datetime.timedelta(seconds=seconds)
    workflow.schedule(edition, user=chief, at=at)
    say(edition.pk)


def edition(edition_id):
    """The edition's status, its times, its publication steps on record, its copy published."""
    from articles.models import Article, Edition, TransitionLog

    found = Edition.objects.get(pk=edition_id)
    say(
        {
            "status": found.status,
            "scheduled_at": found.scheduled_at,
            "published_at": found.published_at,
            "publish_steps": TransitionLog.objects.filter(edition=found, action="publish").count(),
            "published": Article.objects.published().filter(page__edition=found).count(),
        }
    )


def return_copy():
    """An editor returns a reporter's copy: the reporter is told, and e-mailed; print the notice's id."""
    from articles import workflow
    from articles.models import Notification
    from tests.factories import ArticleFactory

    reporter, editor = _user("Reporter", "林晓"), _user("Editor", "苏文")
    article = ArticleFactory(status="submitted", created_by=reporter, headline="地铁开通")
    workflow.transition(article, "return", user=editor, note="请补充票价。")
    say(Notification.objects.get(recipient=reporter, article=article).pk)


def notification(notification_id):
    """How the notice's e-mail went, and its jobs' statuses."""
    from django_tasks_db.models import DBTaskResult

    from articles.desk.tasks import send_notification_emails
    from articles.models import Notification
    from newsroom.background import uses_database_backend

    notice = Notification.objects.get(pk=notification_id)
    jobs = None  # RQ keeps its jobs' records in Redis
    if uses_database_backend():
        jobs = [
            job.status
            for job in DBTaskResult.objects.filter(
                task_path=send_notification_emails.module_path,
                args_kwargs__args=[[notification_id]],
            ).order_by("enqueued_at")
        ]
    say(
        {
            "emailed": bool(notice.emailed_at),
            "failed": bool(notice.email_failed_at),
            "error": notice.email_error,
            "jobs": jobs,
        }
    )
