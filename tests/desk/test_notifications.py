"""Who is told what, in the admin and by e-mail, when copy moves."""

import pytest

from articles import services, workflow
from articles.models import Notification, NotificationSettings
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    SectionFactory,
)

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


def test_a_return_tells_the_filers_with_the_note_and_emails_them_once_it_commits(
    people, filed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    assert mailoutbox == []  # nothing leaves before the step commits
    for callback in callbacks:
        callback()
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
        q for q in large_queries.captured_queries if "articles_notification" in q["sql"]
    ]
    assert len(notification_queries) == 1  # one insert for all twelve
    assert Notification.objects.filter(recipient=people["reporter"], kind="published").count() == 13
    assert Notification.objects.filter(recipient=people["correspondent"]).count() == 13


def test_a_mail_server_that_fails_leaves_the_step_done_and_the_notification_listed(
    people, filed, monkeypatch, django_capture_on_commit_callbacks
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("articles.desk.notifications.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(filed, "return", user=people["editor"], note="请补充票价。")
    filed.refresh_from_db()
    assert filed.status == "returned"
    notice = Notification.objects.get(recipient=people["reporter"])
    assert notice.emailed_at is None
