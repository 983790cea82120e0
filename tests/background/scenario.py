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
