"""留痕: what the desk changed after the copy was filed, shown to its filer and reviewers by name."""

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from articles import services, workflow
from articles.copy import revisions, tracking
from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

BODY = "第一段。\n第二段。\n市城管局开展专项整治。"


@pytest.fixture
def filed(people):
    """Copy the reporter filed, then 苏文 on the desk changed its third paragraph."""
    article = ArticleFactory(status="draft", created_by=people["reporter"], body=BODY)
    BylineFactory(article=article, person=people["reporter"].person)
    revisions.record(article, user=people["reporter"])
    workflow.transition(article, "submit", user=people["reporter"])
    article = Article.objects.get(pk=article.pk)
    article.body = BODY.replace("市城管局", "市城市管理局")
    services.save_article(article, user=people["editor"])
    return Article.objects.get(pk=article.pk)


def client_of(client, user):
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_change_after_filing_is_said_by_paragraph_with_the_editors_name(filed):
    with translation.override("zh-hans"):
        changes = tracking.tracked_changes(filed)
        assert [change.who for change in changes] == ["苏文"]
        assert [line[0] for line in changes[0].lines] == ["苏文修改了正文第3段"]
        assert changes[0].level == "初审中"
        diff = str(changes[0].lines[0][1])
    assert "<ins>市</ins>" in diff and "<ins>理</ins>" in diff


def test_the_filers_own_changes_before_filing_are_not_tracked(people):
    article = ArticleFactory(status="draft", created_by=people["reporter"], body="初稿。")
    revisions.record(article, user=people["reporter"])
    article.body = "改过的初稿。"
    services.save_article(article, user=people["reporter"])
    workflow.transition(article, "submit", user=people["reporter"])
    assert tracking.tracked_changes(article) == []


def test_paragraphs_added_and_removed_are_named_by_their_number():
    with translation.override("zh-hans"):
        marks = tracking.body_marks("甲。\n乙。\n丙。", "甲。\n丙。\n丁。")
        assert [(m.verb, m.where) for m in marks] == [
            ("removed", "原正文第2段"),
            ("added", "正文第3段"),
        ]


def test_the_filer_sees_the_desks_change_on_the_form_in_the_editors_colour(filed, client, people):
    page = client_of(client, people["reporter"]).get(change_url(filed)).content.decode()
    doc = lxml.html.fromstring(page)
    tracked = doc.get_element_by_id("tracked")
    assert "修改痕迹" in tracked.text_content()
    change = tracked.find_class("nr-tracked__change")[0]
    assert "nr-ed-0" in change.get("class")
    assert "苏文修改了正文第3段" in change.text_content()
    assert "editor" not in change.text_content()  # names, not usernames


def test_the_filer_reads_the_revisions_of_their_own_copy(filed, client, people):
    url = reverse("admin:articles_article_revisions", args=[filed.pk])
    assert client_of(client, people["reporter"]).get(url).status_code == 200


def test_someone_else_who_sees_the_copy_is_refused_its_revisions_in_the_admins_look(
    filed, client, people
):
    url = reverse("admin:articles_article_revisions", args=[filed.pk])
    response = client_of(client, people["photographer"]).get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="user-tools"' in page and "陈光" in page  # the admin's header, by name
    assert reverse("admin:index") in page
    assert "返回首页" not in page


def test_the_history_says_in_words_what_a_save_changed(filed, client, people):
    editor = client_of(client, people["editor"])
    doc = lxml.html.fromstring(editor.get(change_url(filed)).content.decode())
    form = doc.get_element_by_id("article_form")
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data["headline"] = ["新的标题"]
    assert editor.post(change_url(filed), data).status_code == 302
    history = reverse("admin:articles_article_history", args=[filed.pk])
    page = editor.get(history).content.decode()
    assert "苏文修改了主标题" in page
    assert "Headline" not in page and "Body" not in page


def test_the_history_tells_changes_made_outside_the_form_too(filed, client, people):
    client.force_login(people["reporter"])
    history = reverse("admin:articles_article_history", args=[filed.pk])
    page = client.get(history).content.decode()
    assert "苏文修改了正文第3段" in page
