"""Who is told what, in the admin and by e-mail, when copy moves."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services, workflow
from articles.desk import tasks
from articles.models import Notification, NotificationSettings
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    SectionFactory,
)
from tests.jobs import queued, run_jobs
from tests.newsroom import client_for

from . import failing_mail

pytestmark = pytest.mark.django_db


def told(user):
    return [
        (n.kind, n.article_id, n.level, n.note)
        for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


@pytest.fixture
def filed(people):
    """Copy the reporter filed with the correspondent bylined, submitted to the desk."""
    article = ArticleFactory(status="submitted", created_by=people["reporter"], headline="地铁开通")
    BylineFactory(article=article, person=people["correspondent"].person, role="correspondent")
    people["reporter"].email = "linxiao@example.com"
    people["reporter"].save()
    return article


def test_a_return_tells_the_filers_with_the_note_and_a_job_emails_them(
    people, filed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    assert mailoutbox == []  # nothing is sent in the request: the job does it
    assert run_jobs() == 1
    expected = [("returned", filed.pk, None, "请补充票价。")]
    assert told(people["reporter"]) == expected
    assert told(people["correspondent"]) == expected
    assert told(people["editor"]) == []
    # The correspondent has no address; the reporter gets one e-mail, in Chinese.
    assert [m.to for m in mailoutbox] == [["linxiao@example.com"]]
    assert mailoutbox[0].subject == "[滨江日报] 苏文退回了您的稿件“地铁开通”。"
    assert "请补充票价。" in mailoutbox[0].body
    assert "林晓" in mailoutbox[0].body


def test_who_turned_email_off_is_told_in_the_admin_only(
    people, filed, mailoutbox, django_capture_on_commit_callbacks
):
    services.save_notification_settings(people["reporter"], email=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    assert len(told(people["reporter"])) == 1
    run_jobs()
    assert mailoutbox == []
    assert NotificationSettings.objects.get(user=people["reporter"]).email is False


def test_each_level_tells_the_filers_and_the_next_reviewers(people, filed):
    # The desk moves the copy to a section of three levels: its round needs them now.
    filed.section = SectionFactory(review_levels=3)
    services.save_article(filed, user=people["editor"])
    workflow.transition(filed, "approve", user=people["editor"])
    assert told(people["reporter"]) == [("approved", filed.pk, 1, "")]
    # 复审 is the desk head's: they are told; editors and the chief are not yet.
    assert told(people["desk_head"]) == [("review", filed.pk, 2, "")]
    assert told(people["chief"]) == []
    workflow.transition(filed, "approve", user=people["desk_head"])
    assert told(people["chief"]) == [("review", filed.pk, 3, "")]
    workflow.transition(filed, "approve", user=people["chief"])
    assert [n[2] for n in told(people["reporter"])] == [1, 2, 3]
    assert told(people["editor"]) == []


def test_a_refused_step_tells_nobody(people, filed):
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(filed, "return", user=people["editor"], note="  ")
    assert not Notification.objects.exists()


def test_nobody_is_told_what_they_did_themselves(people):
    article = ArticleFactory(status="approved", created_by=people["editor"])
    workflow.transition(article, "publish_now", user=people["editor"])
    assert not Notification.objects.exists()


def test_publication_and_withdrawal_tell_the_filers(people, filed):
    article = ArticleFactory(status="approved", created_by=people["reporter"])
    workflow.transition(article, "publish_now", user=people["editor"])
    workflow.transition(article, "withdraw", user=people["chief"], note="当事人要求更正")
    assert told(people["reporter"]) == [
        ("published", article.pk, None, ""),
        ("withdrawn", article.pk, None, "当事人要求更正"),
    ]


def test_publishing_an_edition_tells_every_filer_in_one_write(
    people, django_assert_max_num_queries
):
    def edition_of(size):
        edition = EditionFactory()
        page = PageFactory(edition=edition, editor=PersonFactory())
        for position in range(size):
            article = ArticleFactory(
                status="approved", page=page, position=position, created_by=people["reporter"]
            )
            BylineFactory(article=article, person=people["correspondent"].person)
        workflow.sign_off(edition, user=people["chief"])
        return edition

    small, large = edition_of(1), edition_of(12)
    workflow.publish_edition(small, user=people["chief"])
    with django_assert_max_num_queries(400) as large_queries:
        workflow.publish_edition(large, user=people["chief"])
    notification_queries = [
        q["sql"] for q in large_queries.captured_queries if "articles_notification" in q["sql"]
    ]
    # One insert for all twelve, after one look at who turned this kind off.
    assert [sql.split()[0] for sql in notification_queries] == ["SELECT", "INSERT"]
    assert Notification.objects.filter(recipient=people["reporter"], kind="published").count() == 13
    assert Notification.objects.filter(recipient=people["correspondent"]).count() == 13


def test_a_mail_server_that_fails_leaves_the_step_done_and_the_send_is_retried_then_shown_failed(
    people, filed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.desk.failing_mail.AwayBackend"
    failing_mail.tries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    filed.refresh_from_db()
    assert filed.status == "returned" and failing_mail.tries == []  # the click sends nothing
    notice = Notification.objects.get(recipient=people["reporter"])
    start, waits = timezone.now(), []
    for attempt in range(1, settings.NOTIFY_EMAIL_ATTEMPTS + 1):
        # Each attempt is due later than the one before (backoff), never at once.
        with time_machine.travel(start + datetime.timedelta(seconds=sum(waits) + 1)):
            assert run_jobs() == 1, attempt
            assert run_jobs() == 0
            notice.refresh_from_db()
            assert notice.email_error.startswith("SMTPServerDisconnected")
            if attempt < settings.NOTIFY_EMAIL_ATTEMPTS:
                assert notice.email_failed_at is None
                [later] = queued(tasks.send_notification_emails)
                waits.append((later.run_after - timezone.now()).total_seconds() + 1)
    assert waits == sorted(waits)  # the wait grows (doubled, with jitter)
    assert failing_mail.tries == ["linxiao@example.com"] * settings.NOTIFY_EMAIL_ATTEMPTS
    assert notice.emailed_at is None and notice.email_failed_at > start
    assert not queued()
    failed = DBTaskResult.objects.filter(task_path=tasks.send_notification_emails.module_path)
    assert (
        sorted(failed.values_list("status", flat=True))
        == ["FAILED"] * settings.NOTIFY_EMAIL_ATTEMPTS
    )
    # The reporter sees it in their list of notifications.
    shown = client_for(people["reporter"]).get(reverse("admin:articles_notification_changelist"))
    assert (
        "未发送：SMTPServerDisconnected: Connection unexpectedly closed" in shown.content.decode()
    )


def test_an_email_that_fails_once_is_sent_by_the_next_attempt(
    people, filed, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from articles.desk import notifications

    sent = notifications.send_mail
    calls = []

    def away_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionRefusedError(111, "Connection refused")
        return sent(*args, **kwargs)

    monkeypatch.setattr("articles.desk.notifications.send_mail", away_once)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    assert run_jobs() == 1
    notice = Notification.objects.get(recipient=people["reporter"])
    assert notice.email_error and not notice.emailed_at
    shown = client_for(people["reporter"]).get(reverse("admin:articles_notification_changelist"))
    assert "尚未发送，将重试" in shown.content.decode()
    [later] = queued(tasks.send_notification_emails)
    with time_machine.travel(later.run_after + datetime.timedelta(seconds=1)):
        assert run_jobs() == 1
        # Run again (a job run twice), it sends nothing twice.
        tasks.send_notification_emails.enqueue([notice.pk])
        assert run_jobs() == 1
    notice.refresh_from_db()
    assert notice.emailed_at and notice.email_error == "" and notice.email_failed_at is None
    assert len(mailoutbox) == 1


# --- filing, kinds turned off, the words ------------------------------------------------


def test_filing_tells_the_sections_first_review_editors(people, django_user_model):
    from tests.conftest import make_user

    section = SectionFactory(name="城市")
    colleague = make_user(django_user_model, "editor2", "Editor", "钱进")
    draft = ArticleFactory(status="draft", created_by=people["reporter"], section=section)
    workflow.transition(draft, "submit", user=people["reporter"])
    # No editor named for the section: every editor who gives 初审 is told.
    assert told(people["editor"]) == [("review", draft.pk, 1, "")]
    assert told(colleague) == [("review", draft.pk, 1, "")]
    assert told(people["desk_head"]) == [] and told(people["reporter"]) == []
    # With its editors named, only they are told.
    services.save_section(section, user=people["chief"], editors=[colleague.person])
    other = ArticleFactory(status="draft", created_by=people["reporter"], section=section)
    workflow.transition(other, "submit", user=people["reporter"])
    assert [n[1] for n in told(colleague)] == [draft.pk, other.pk]
    assert [n[1] for n in told(people["editor"])] == [draft.pk]


def test_only_the_chief_names_a_sections_editors(people):
    section = SectionFactory(name="城市")
    with pytest.raises(services.Refused):
        services.save_section(section, user=people["editor"], editors=[people["editor"].person])
    assert not section.editors.exists()


def test_each_person_turns_off_the_kinds_they_do_not_want(people, filed):
    services.save_notification_settings(people["reporter"], email=True, muted_kinds=["returned"])
    workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    assert told(people["reporter"]) == []
    assert told(people["correspondent"]) == [("returned", filed.pk, None, "请补充票价。")]
    # Unknown kinds are not kept.
    row = services.save_notification_settings(
        people["reporter"], email=True, muted_kinds=["returned", "nonsense"]
    )
    assert row.muted_kinds == ["returned"]


def test_the_settings_page_turns_a_kind_off(people, client):
    from django.urls import reverse

    client.force_login(people["editor"])
    url = reverse("admin:articles_notification_settings")
    page = client.get(url).content.decode()
    assert "以下情况通知我" in page and "稿件等待您审核" in page
    kinds = [k for k in Notification.Kind.values if k != "review"]
    client.post(url, {"email": "on", "kinds": kinds})
    assert NotificationSettings.objects.get(user=people["editor"]).muted_kinds == ["review"]
    draft = ArticleFactory(status="draft", created_by=people["reporter"])
    workflow.transition(draft, "submit", user=people["reporter"])
    assert told(people["editor"]) == []


def test_each_level_is_named_and_quotes_nest(people, filed, client):
    from django.urls import reverse

    from articles.desk import notifications

    filed.section = SectionFactory(review_levels=3)
    filed.headline = "市民服务中心推出“周末不打烊”"
    services.save_article(filed, user=people["editor"])
    workflow.transition(filed, "approve", user=people["editor"])
    workflow.transition(filed, "approve", user=people["desk_head"])
    # The copy is renamed later: what people were told keeps the title it had.
    filed.headline = "改过的标题"
    services.save_article(filed, user=people["chief"])
    mine = list(Notification.objects.filter(recipient=people["reporter"]).order_by("pk"))
    assert [notifications.kind_label(n) for n in mine] == ["初审通过", "复审通过"]
    assert notifications.message(mine[0]) == "苏文初审通过了“市民服务中心推出‘周末不打烊’”。"
    assert notifications.quoted('推出"周末不打烊"活动') == "推出‘周末不打烊’活动"
    client.force_login(people["reporter"])
    page = client.get(reverse("admin:articles_notification_changelist")).content.decode()
    assert "复审通过" in page and "通知类型" in page and "体裁" not in page
    assert "改过的标题" not in page
