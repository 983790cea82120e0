"""Autosave: what is typed is kept as its author's working copy, offered back, private, pruned."""

import datetime
import json

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, WorkingCopy
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

BODY = "第一段。\n第二段。"


@pytest.fixture
def draft(people):
    article = ArticleFactory(status="draft", created_by=people["reporter"], body=BODY)
    BylineFactory(article=article, person=people["reporter"].person)
    return article


def keep_url(article=None):
    if article is None:
        return reverse("admin:articles_article_add_working_copy")
    return reverse("admin:articles_article_working_copy", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_what_the_reporter_types_is_kept_and_offered_back_with_a_diff(client, people, draft):
    client.force_login(people["reporter"])
    typed = BODY + "\n第三段，还没保存。"
    response = client.post(keep_url(draft), {"body": typed, "base_version": draft.version})
    assert response.status_code == 200 and response.json() == {"kept": True}
    # The article itself is unchanged: a working copy is not a save, nor a revision.
    assert Article.objects.get(pk=draft.pk).body == BODY
    assert not draft.revisions.exists()
    doc = lxml.html.fromstring(client.get(change_url(draft)).content.decode())
    offer = doc.get_element_by_id("nr-working")
    restore = doc.get_element_by_id("nr-working-restore").text_content()
    assert restore.startswith("恢复 ") and restore.endswith(" 未保存的内容")
    assert "第三段，还没保存。" in offer.xpath("string(.//ins)")
    kept = json.loads(doc.get_element_by_id("nr-working-fields").text_content())
    assert kept["body"] == typed


def test_new_copy_is_kept_too_and_offered_on_the_new_form(client, people):
    client.force_login(people["reporter"])
    client.post(keep_url(), {"headline": "还没存的新稿", "body": "新稿第一段。"})
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "还没存的新稿" in page and 'id="nr-working-restore"' in page  # in the diff


def test_saving_the_article_drops_the_working_copy(client, people, draft):
    client.force_login(people["reporter"])
    client.post(keep_url(draft), {"body": BODY + "\n第三段。"})
    draft.body = BODY + "\n第三段。"
    services.save_article(draft, user=people["reporter"])
    assert not WorkingCopy.objects.exists()
    assert 'id="nr-working"' not in client.get(change_url(draft)).content.decode()


def test_a_working_copy_the_same_as_the_saved_text_is_not_offered(client, people, draft):
    client.force_login(people["reporter"])
    client.post(keep_url(draft), {"body": BODY})
    assert 'id="nr-working"' not in client.get(change_url(draft)).content.decode()


def test_a_working_copy_is_private_to_its_author(client, people, draft, superuser):
    client.force_login(people["reporter"])
    client.post(keep_url(draft), {"body": BODY + "\n我的私稿。"})
    for other in (superuser, people["editor"]):
        client.force_login(other)
        assert "我的私稿" not in client.get(change_url(draft)).content.decode()
    # Nor does anything public know of it.
    assert "我的私稿" not in client.get(reverse("articles:home")).content.decode()


def test_the_author_discards_it(client, people, draft):
    client.force_login(people["reporter"])
    client.post(keep_url(draft), {"body": BODY + "\n不要了。"})
    client.post(keep_url(draft), {"discard": "1"})
    assert not WorkingCopy.objects.exists()


def test_whoever_may_not_change_the_copy_keeps_nothing(client, people, draft):
    client.force_login(people["other_reporter"])
    assert client.post(keep_url(draft), {"body": "别人的字"}).status_code == 404
    client.force_login(people["editor"])  # a draft is its author's
    assert client.post(keep_url(draft), {"body": "编辑的字"}).status_code == 403
    assert not WorkingCopy.objects.exists()


def test_text_too_long_is_refused(client, people, draft):
    client.force_login(people["reporter"])
    assert client.post(keep_url(draft), {"body": "字" * 200_001}).status_code == 403


def test_old_working_copies_are_pruned(people, draft, settings):
    settings.WORKING_COPY_DAYS = 14
    services.keep_working_copy(user=people["reporter"], article=draft, fields={"body": "旧的"})
    services.keep_working_copy(user=people["reporter"], fields={"body": "新的"})
    WorkingCopy.objects.filter(article=draft).update(
        saved_at=timezone.now() - datetime.timedelta(days=15)
    )
    call_command("prune_working_copies")
    assert list(WorkingCopy.objects.values_list("fields__body", flat=True)) == ["新的"]


def test_the_form_loads_the_autosave_script_with_no_inline_script(client, people, draft):
    client.force_login(people["reporter"])
    doc = lxml.html.fromstring(client.get(change_url(draft)).content.decode())
    sources = [
        s.get("src") or "" for s in doc.iter("script") if s.get("type") != "application/json"
    ]
    assert any(src.endswith("newsroom/autosave.js") for src in sources)
    assert all(src for src in sources)  # every script a file: the CSP allows no inline one
