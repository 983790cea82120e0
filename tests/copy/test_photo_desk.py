"""The photo desk's step: a photographer adds and re-captions pictures on copy under review.

From the article's own form, without taking the copy off the desk; its words
stay read-only for them; the change is tracked (留痕) and, on approved copy,
follows the rule for changes after approval.
"""

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from articles import services, workflow
from articles.copy import revisions, tracking
from articles.models import Article, ArticlePhoto, Byline, ChangeAfterApproval
from articles.permissions import Refused
from tests.factories import ArticleFactory, BylineFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(people):
    article = ArticleFactory(status="draft", created_by=people["reporter"], headline="新站台启用")
    BylineFactory(article=article, person=people["reporter"].person)
    # The photographer is credited 摄 on the story: that makes them no filer of its steps.
    BylineFactory(
        article=article, person=people["photographer"].person, role=Byline.Role.PHOTOGRAPHER
    )
    revisions.record(article, user=people["reporter"])
    return workflow.transition(article, "submit", user=people["reporter"])


@pytest.fixture
def photo(people):
    return PhotoFactory(caption="新站台。", created_by=people["photographer"])


def form_of(client, article):
    """The article form's values as the browser would post them."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    doc = lxml.html.fromstring(client.get(url).content.decode())
    form = doc.get_element_by_id("article_form")
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return url, doc, data


def add_photo_row(data, photo, caption=""):
    row = int(data["article_photos-TOTAL_FORMS"][0])
    data["article_photos-TOTAL_FORMS"] = [str(row + 1)]
    data[f"article_photos-{row}-photo"] = [str(photo.pk)]
    data[f"article_photos-{row}-caption"] = [caption]
    data[f"article_photos-{row}-position"] = [str(row)]
    return data


def test_the_photographer_opens_submitted_copy_with_its_photos_open_and_its_words_read_only(
    client, people, submitted
):
    client.force_login(people["photographer"])
    _url, doc, data = form_of(client, submitted)
    assert "article_photos-TOTAL_FORMS" in data and "_save" in {
        b.get("name") for b in doc.iter("input")
    }
    assert "headline" not in data and "body" not in data
    # No step pulls the reporter's copy off the desk.
    assert not doc.find_class("nr-action--unsubmit")


def test_a_photo_added_by_the_photographer_keeps_the_copy_on_the_desk_and_is_tracked(
    client, people, submitted, photo
):
    client.force_login(people["photographer"])
    url, _doc, data = form_of(client, submitted)
    data["headline"] = ["摄影记者改的标题"]  # not a field for them: ignored
    response = client.post(url, add_photo_row(data, photo, "11月28日，乘客在新站台候车。"))
    assert response.status_code == 302
    article = Article.objects.get(pk=submitted.pk)
    assert (article.status, article.headline) == ("submitted", "新站台启用")
    assert [(u.photo, u.caption) for u in ArticlePhoto.objects.filter(article=article)] == [
        (photo, "11月28日，乘客在新站台候车。")
    ]
    with translation.override("zh-hans"):
        (change,) = tracking.tracked_changes(article)
        assert change.who == "陈光"
        assert change.lines[0][0] == "陈光添加了图片“11月28日，乘客在新站台候车。”"


def test_the_reporter_sees_the_photo_desks_change_in_the_tracked_changes(
    client, people, submitted, photo
):
    services.illustrate_article(
        submitted, user=people["photographer"], photos=[services.Use(photo, "候车的乘客。")]
    )
    client.force_login(people["reporter"])
    page = client.get(reverse("admin:articles_article_change", args=[submitted.pk]))
    tracked = lxml.html.fromstring(page.content.decode()).get_element_by_id("tracked")
    assert "陈光添加了图片“候车的乘客。”" in tracked.text_content()


def test_the_filer_does_not_change_the_photos_of_copy_on_the_desk(people, submitted, photo):
    with pytest.raises(Refused):
        services.illustrate_article(
            submitted, user=people["reporter"], photos=[services.Use(photo)]
        )


@pytest.mark.parametrize("status", ["draft", "returned", "published", "spiked"])
def test_the_photo_desk_changes_only_copy_on_the_desk(people, photo, status):
    article = ArticleFactory(status=status, created_by=people["reporter"])
    with pytest.raises(Refused):
        services.illustrate_article(
            article, user=people["photographer"], photos=[services.Use(photo)]
        )
    assert not ArticlePhoto.objects.filter(article=article).exists()


def test_a_stale_photo_form_is_refused(people, submitted, photo):
    with pytest.raises(Refused):
        services.illustrate_article(
            submitted,
            user=people["photographer"],
            photos=[services.Use(photo)],
            base_version=submitted.version - 1,
        )


@pytest.fixture
def approved(people):
    article = ArticleFactory(
        status="approved", created_by=people["reporter"], section=SectionFactory(review_levels=1)
    )
    revisions.record(article, user=people["reporter"])
    return article


def test_a_new_picture_on_approved_copy_sends_it_back_to_the_final_level(people, approved, photo):
    article = services.illustrate_article(
        approved, user=people["photographer"], photos=[services.Use(photo)]
    )
    assert (article.status, article.awaited_level) == ("submitted", 1)
    assert ChangeAfterApproval.objects.get().kind == "review"


def test_a_new_caption_on_approved_copy_is_wording_and_the_approval_stands(people, approved, photo):
    ArticlePhoto.objects.create(article=approved, photo=photo, caption="旧说明。")
    revisions.record(approved, user=people["editor"])
    article = services.illustrate_article(
        approved, user=people["photographer"], photos=[services.Use(photo, "新说明。")]
    )
    assert article.status == "approved"
    assert ChangeAfterApproval.objects.get().kind == "wording"


def test_a_photographer_credited_on_the_story_does_not_withdraw_its_submission(people, submitted):
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(submitted, "unsubmit", user=people["photographer"])
    assert workflow.transition(submitted, "unsubmit", user=people["reporter"]).status == "draft"


def test_the_history_says_what_the_photo_desk_changed(client, people, submitted, photo):
    client.force_login(people["photographer"])
    url, _doc, data = form_of(client, submitted)
    client.post(url, add_photo_row(data, photo, "候车的乘客。"))
    history = reverse("admin:articles_article_history", args=[submitted.pk])
    client.force_login(people["editor"])
    assert "陈光添加了图片“候车的乘客。”" in client.get(history).content.decode()
