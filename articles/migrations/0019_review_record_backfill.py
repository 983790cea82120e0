"""Give copy under review its record, from the transition log, and notifications their subject.

Copy submitted or approved before the record existed gets an open round
needing what its section asks for now (or the levels it has already passed,
if more), and an approval for each approve step of its current round, on
the revision it then had. Historical models only.
"""

from django.db import migrations

ROUND_STARTS = ("submit", "resubmit", "reopen")


def backfill_rounds(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TransitionLog = apps.get_model("articles", "TransitionLog")
    Revision = apps.get_model("articles", "Revision")
    Submission = apps.get_model("articles", "Submission")
    Approval = apps.get_model("articles", "Approval")
    under_review = Article.objects.filter(status__in=["submitted", "approved"]).select_related(
        "section"
    )
    for article in under_review.iterator():
        log = list(TransitionLog.objects.filter(article=article).order_by("at", "pk"))
        start = max((i for i, step in enumerate(log) if step.action in ROUND_STARTS), default=-1)
        approvals = [step for step in log[start + 1 :] if step.action == "approve" and step.level]
        section_levels = article.section.review_levels if article.section_id else 1
        levels = max(section_levels, article.review_level, 1)
        submission = Submission.objects.create(
            article=article,
            section_id=article.section_id,
            levels=min(levels, 3),
            submitted_by_id=article.submitted_by_id,
            submitted_at=log[start].at
            if start >= 0
            else article.submitted_at or article.created_at,
        )
        for step in approvals:
            revision = (
                Revision.objects.filter(article=article, created_at__lte=step.at)
                .order_by("-number")
                .first()
            )
            Approval.objects.filter(submission=submission, level=step.level).delete()
            Approval.objects.create(
                submission=submission,
                level=step.level,
                approver_id=step.actor_id,
                at=step.at,
                revision=revision,
            )
        Article.objects.filter(pk=article.pk).update(
            levels_needed=submission.levels,
            review_level=Approval.objects.filter(submission=submission).count(),
        )


def backfill_subjects(apps, schema_editor):
    Notification = apps.get_model("articles", "Notification")
    for notification in Notification.objects.select_related("article", "assignment").iterator():
        if notification.article_id:
            article = notification.article
            subject = article.headline or article.web_headline or article.body[:40]
        elif notification.assignment_id:
            subject = notification.assignment.topic
        else:
            continue
        Notification.objects.filter(pk=notification.pk).update(subject=subject[:200])


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_review_record")]

    operations = [
        migrations.RunPython(backfill_rounds, migrations.RunPython.noop),
        migrations.RunPython(backfill_subjects, migrations.RunPython.noop),
    ]
