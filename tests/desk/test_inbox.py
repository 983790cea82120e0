"""Each person's notifications in the admin: the count in the header, the list, e-mail on or off."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.models import Notification, NotificationSettings
from tests.factories import ArticleFactory
from tests.jobs import run_jobs
from tests.newsroom import change_url, client_for

pytestmark = pytest.mark.django_db

INBOX = "admin:articles_notification_changelist"


def returned(people, headline="老街改造"):
    article = ArticleFactory(status="submitted", created_by=people["reporter"], headline=headline)
    workflow.transition(article, "return", user=people["editor"], note="请补充。")
    return article


def header_count(client):
    doc = lxml.html.fromstring(client.get(reverse("admin:index")).content.decode())
    inbox = doc.cssselect("#user-tools .nr-inbox")[0]
    count = inbox.cssselect(".nr-count")
    return int(count[0].text_content()) if count else 0


def test_the_header_counts_unread_notifications_and_names_the_person(people):
    returned(people)
    returned(people, "社区食堂")
    reporter = client_for(people["reporter"])
    assert header_count(reporter) == 2
    welcome = lxml.html.fromstring(reporter.get(reverse("admin:index")).content.decode())
    assert welcome.cssselect("#user-tools strong")[0].text_content() == "林晓"
    assert header_count(client_for(people["editor"])) == 0


def test_opening_a_notification_marks_it_read_and_goes_to_the_copy(people):
    article = returned(people)
    reporter = client_for(people["reporter"])
    listing = reporter.get(reverse(INBOX)).content.decode()
    assert "苏文退回了您的稿件“老街改造”。" in listing
    notification = Notification.objects.get()
    response = reporter.get(reverse("admin:articles_notification_open", args=[notification.pk]))
    assert response["Location"] == change_url(article)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert header_count(reporter) == 0


def test_nobody_opens_or_reads_anothers_notifications(people):
    returned(people)
    notification = Notification.objects.get()
    other = client_for(people["other_reporter"])
    assert "老街改造" not in other.get(reverse(INBOX)).content.decode()
    url = reverse("admin:articles_notification_open", args=[notification.pk])
    assert other.get(url).status_code == 404
    other.post(reverse("admin:articles_notification_read"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(people):
    returned(people)
    returned(people, "社区食堂")
    reporter = client_for(people["reporter"])
    assert reporter.get(reverse("admin:articles_notification_read")).status_code == 405
    reporter.post(reverse("admin:articles_notification_read"))
    assert not Notification.objects.filter(read_at=None).exists()


def test_each_person_turns_email_off_and_on(people, mailoutbox, django_capture_on_commit_callbacks):
    people["reporter"].email = "linxiao@example.com"
    people["reporter"].save()
    reporter = client_for(people["reporter"])
    url = reverse("admin:articles_notification_settings")
    assert "checked" in reporter.get(url).content.decode()
    reporter.post(url, {})  # the box unticked
    assert NotificationSettings.objects.get(user=people["reporter"]).email is False
    with django_capture_on_commit_callbacks(execute=True):
        returned(people)
    run_jobs()
    assert mailoutbox == []
    # The form as it comes back with e-mail ticked, every kind left ticked.
    reporter.post(url, {"email": "on", "kinds": Notification.Kind.values})
    with django_capture_on_commit_callbacks(execute=True):
        returned(people, "社区食堂")
    run_jobs()
    assert [m.to for m in mailoutbox] == [["linxiao@example.com"]]


def test_the_inbox_costs_the_same_queries_however_full(people):
    reporter = client_for(people["reporter"])

    def inbox_queries():
        with CaptureQueriesContext(connection) as queries:
            assert reporter.get(reverse(INBOX)).status_code == 200
        return len(queries)

    returned(people)
    one = inbox_queries()
    for n in range(20):
        returned(people, f"稿件{n}")
    assert inbox_queries() == one


def test_notifications_keep_their_headline_and_say_nothing_of_copy_one_may_no_longer_see(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    from articles import services

    article = ArticleFactory(status="submitted", created_by=people["reporter"], headline="老街改造")
    photographer = people["photographer"]
    photographer.email = "chenguang@example.com"
    photographer.save()
    comment = services.add_comment(article, user=photographer, text="需要配一张街景吗？")
    workflow.transition(article, "return", user=people["editor"], note="请补充。")
    # Returned copy is its filers' again: the photographer no longer sees it.
    assert client_for(photographer).get(change_url(article)).status_code in (302, 403)
    article.refresh_from_db()
    article.headline = "老街改造方案公布"
    article = services.save_article(article, user=people["reporter"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(
            article, user=people["reporter"], text="不用了，谢谢。", parent=comment
        )
    # The photographer is told there was something, and nothing of it; no e-mail goes out.
    page = client_for(photographer).get(reverse(INBOX)).content.decode()
    assert "老街改造" not in page and "不用了" not in page
    assert "您已无权查看" in page
    assert mailoutbox == []
    index = client_for(photographer).get(reverse("admin:index")).content.decode()
    assert "老街改造" not in index
    opened = client_for(photographer).get(
        reverse(
            "admin:articles_notification_open",
            args=[Notification.objects.get(recipient=photographer).pk],
        )
    )
    assert opened.url == reverse(INBOX)
    # What the reporter was told keeps the headline it had then.
    told = client_for(people["reporter"]).get(reverse(INBOX)).content.decode()
    assert "老街改造" in told
    assert Notification.objects.get(recipient=people["reporter"], kind="returned").subject == (
        "老街改造"
    )
