"""批注: comments on copy in progress, threaded, seen only by those who see the copy."""

import lxml.html
import pytest
from django.urls import reverse

from articles import services, workflow
from articles.copy import revisions
from articles.models import Comment, Notification
from articles.permissions import Refused
from tests.factories import ArticleFactory, BylineFactory
from tests.newsroom import change_url, client_for, form_data

pytestmark = pytest.mark.django_db


def comment_url(article):
    return reverse("admin:articles_article_comment", args=[article.pk])


@pytest.fixture
def draft(people):
    article = ArticleFactory(created_by=people["reporter"], headline="老街改造")
    BylineFactory(article=article, person=people["reporter"].person)
    revisions.record(article, user=people["reporter"])
    return article


@pytest.fixture
def submitted(people):
    article = ArticleFactory(
        created_by=people["reporter"], status="submitted", headline="社区食堂开进老小区"
    )
    revisions.record(article, user=people["reporter"])
    return article


def thread_texts(article):
    doc = lxml.html.fromstring(article)
    return [
        [" ".join(p.text_content().split()) for p in t.cssselect(".nr-comment__text")]
        for t in doc.cssselect(".nr-comment-thread")
    ]


def test_the_desk_comments_and_the_reporter_replies_in_one_thread(people, submitted):
    editor = client_for(people["editor"])
    response = editor.post(
        comment_url(submitted), {"_comment": "new", "comment_text": "第二段的数据来源是哪里？"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    first = Comment.objects.get()
    assert first.created_by == people["editor"] and first.revision.number == 1
    # The reporter is told, and replies from the same page.
    assert Notification.objects.filter(recipient=people["reporter"], kind="commented").count() == 1
    reporter = client_for(people["reporter"])
    reporter.post(
        comment_url(submitted),
        {"_comment": str(first.pk), f"reply_{first.pk}": "来自市统计局的公报。"},
    )
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert reply.parent == first
    assert Notification.objects.filter(recipient=people["editor"], kind="commented").count() == 1
    page = reporter.get(change_url(submitted)).content.decode()
    assert thread_texts(page) == [["第二段的数据来源是哪里？", "来自市统计局的公报。"]]


def test_a_reply_to_a_reply_joins_the_thread(people, submitted):
    first = services.add_comment(submitted, user=people["editor"], text="请核实。")
    second = services.add_comment(submitted, user=people["reporter"], text="已核实。", parent=first)
    third = services.add_comment(submitted, user=people["chief"], text="好。", parent=second)
    assert third.parent == first
    # Everyone in the thread and the filer hear of the chief's reply, but not the chief.
    told = set(
        Notification.objects.filter(comment=third).values_list("recipient__username", flat=True)
    )
    assert told == {"reporter", "editor"}


def test_a_comment_is_kept_with_the_revision_it_was_written_on(people, draft):
    services.add_comment(draft, user=people["reporter"], text="待补充采访。")
    draft.body += "\n\n新补充的一段。"
    services.save_article(draft, user=people["reporter"])
    page = client_for(people["reporter"]).get(change_url(draft)).content.decode()
    assert "写于修订1" in page
    assert "此后稿件已修改，现为修订2" in page


def test_a_comment_posted_from_the_changed_form_keeps_what_was_typed(people, draft):
    response = client_for(people["reporter"]).post(
        change_url(draft),
        form_data(draft, headline="老街改造进入收尾", _comment="new", comment_text="标题改了。"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "老街改造进入收尾"
    comment = Comment.objects.get()
    assert comment.revision.number == 2  # the revision the save just made


def test_an_empty_comment_is_refused_and_the_typed_text_is_not_saved(people, draft):
    response = client_for(people["reporter"]).post(
        change_url(draft),
        form_data(draft, headline="不该保存的标题", _comment="new", comment_text="   "),
    )
    assert response.status_code == 200
    assert "请先写下批注内容。" in response.content.decode()
    assert "不该保存的标题" in response.content.decode()
    draft.refresh_from_db()
    assert draft.headline == "老街改造"
    assert not Comment.objects.exists()


def test_a_comment_too_long_is_refused(people, submitted):
    with pytest.raises(Refused):
        services.add_comment(submitted, user=people["editor"], text="长" * 2001)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("role", ["other_reporter", "photographer", "nobody"])
def test_who_cannot_see_the_copy_cannot_comment_on_it(people, draft, role):
    client_for(people[role]).post(
        comment_url(draft), {"_comment": "new", "comment_text": "我也来说两句。"}
    )
    assert not Comment.objects.exists()
    with pytest.raises(Refused):
        services.add_comment(draft, user=people[role], text="我也来说两句。")


def test_a_reply_cannot_be_hung_on_another_articles_comment(people, draft, submitted):
    elsewhere = services.add_comment(submitted, user=people["editor"], text="别处的批注。")
    response = client_for(people["reporter"]).post(
        comment_url(draft), {"_comment": str(elsewhere.pk), f"reply_{elsewhere.pk}": "串门"}
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_comments_never_reach_the_public(people, client):
    article = ArticleFactory(status="approved", created_by=people["reporter"])
    services.add_comment(article, user=people["editor"], text="内部批注：别登。")
    workflow.transition(article, "publish_now", user=people["editor"])
    page = client.get(article.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/articles/{article.pk}/").content.decode()
    assert "内部批注" not in page and "内部批注" not in api


def test_the_comment_thread_costs_the_same_queries_however_long(
    people, submitted, django_assert_max_num_queries
):
    editor = client_for(people["editor"])

    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert editor.get(change_url(submitted)).status_code == 200
        return len(queries)

    first = services.add_comment(submitted, user=people["editor"], text="一。")
    page_queries()  # the process's caches (content types) warmed, whatever ran before
    one = page_queries()
    for n in range(10):
        parent = services.add_comment(submitted, user=people["chief"], text=f"第{n}条。")
        services.add_comment(submitted, user=people["reporter"], text="回复。", parent=parent)
    services.add_comment(submitted, user=people["reporter"], text="回复。", parent=first)
    assert page_queries() == one
