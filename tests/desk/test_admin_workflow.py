"""The workflow as people meet it in the admin."""

import re

import pytest
from django.urls import reverse

from articles import services, workflow
from articles.cache import article_key, versions_tag
from articles.models import Article, Correction, Edition, Revision
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
)
from tests.jobs import run_jobs
from tests.newsroom import change_url, client_for, form_data

pytestmark = pytest.mark.django_db


def snapshot(article):
    article.refresh_from_db()
    return {
        f.attname: getattr(article, f.attname)
        for f in Article._meta.concrete_fields
        if f.name not in {"updated_at"}
    }


# --- what a reporter cannot do, however the request is crafted ---------------


def test_a_reporters_crafted_post_cannot_change_workflow_fields(people):
    article = ArticleFactory(created_by=people["reporter"])
    page = PageFactory()
    crafted = form_data(
        article,
        headline="改过的标题",
        status="published",
        page=str(page.pk),
        position="1",
        approved_at="2026-01-01 00:00",
        approved_by=str(people["editor"].pk),
        published_at="2026-01-01 00:00",
        created_by=str(people["other_reporter"].pk),
        version="99",
    )
    response = client_for(people["reporter"]).post(change_url(article), crafted)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "改过的标题"  # the copy is theirs to change
    assert article.status == "draft"
    assert article.page is None and article.position == 0
    assert article.approved_at is None and article.approved_by is None
    assert article.published_at is None
    assert article.created_by == people["reporter"]


@pytest.mark.parametrize("status", ["submitted", "approved", "published", "spiked"])
def test_a_reporter_cannot_change_own_copy_once_it_left_them(people, status):
    article = ArticleFactory(created_by=people["reporter"], status=status)
    before = snapshot(article)
    response = client_for(people["reporter"]).post(
        change_url(article), form_data(article, headline="偷偷改标题")
    )
    assert response.status_code == 403
    assert snapshot(article) == before


def test_a_reporter_cannot_see_or_change_a_colleagues_copy(people):
    article = ArticleFactory(created_by=people["other_reporter"])
    before = snapshot(article)
    client = client_for(people["reporter"])
    assert client.get(change_url(article)).status_code == 302  # "does not exist"
    client.post(change_url(article), form_data(article, headline="别人的稿子"))
    assert snapshot(article) == before
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert article.headline not in listing


@pytest.mark.parametrize("action", ["approve", "place", "publish_now", "return"])
def test_a_reporter_cannot_take_desk_steps_by_posting_them(people, action):
    article = ArticleFactory(created_by=people["reporter"], status="submitted")
    page = PageFactory()
    before = snapshot(article)
    response = client_for(people["reporter"]).post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"_workflow": action, "workflow_note": "我自己通过", "workflow_page": page.pk},
        follow=True,
    )
    assert snapshot(article) == before
    assert not article.transitions.exists()
    assert "error" in response.content.decode()


def test_a_reporter_cannot_open_the_edition_planner(people):
    edition = EditionFactory()
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    assert client_for(people["reporter"]).post(url, {"action": "sign_off"}).status_code == 403
    edition.refresh_from_db()
    assert edition.status == "planning"


def test_a_bylined_correspondent_may_edit_the_draft(people):
    article = ArticleFactory(created_by=people["reporter"])
    BylineFactory(article=article, person=people["correspondent"].person, role="correspondent")
    response = client_for(people["correspondent"]).post(
        change_url(article), form_data(article, headline="通讯员改的标题")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "通讯员改的标题"


def test_reporters_list_only_their_own_copy(people):
    mine = ArticleFactory(created_by=people["reporter"], headline="我写的稿子")
    ArticleFactory(created_by=people["other_reporter"], headline="同事的稿子")
    content = client_for(people["reporter"]).get(reverse("admin:articles_article_changelist"))
    content = content.content.decode()
    assert mine.headline in content and "同事的稿子" not in content


def test_users_without_a_role_see_nothing_of_the_newsroom(people):
    ArticleFactory(headline="内部稿件")
    client = client_for(people["nobody"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "内部稿件" not in index and "articles/article" not in index
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


# --- the panel --------------------------------------------------------------


def buttons(response):
    return re.findall(r'name="_workflow" value="(\w+)"', response.content.decode())


def test_the_panel_offers_only_the_steps_the_user_may_take(people):
    draft = ArticleFactory(created_by=people["reporter"])
    assert buttons(client_for(people["reporter"]).get(change_url(draft))) == ["submit"]

    submitted = ArticleFactory(status="submitted", created_by=people["reporter"])
    response = client_for(people["editor"]).get(change_url(submitted))
    assert buttons(response) == ["return", "approve", "spike"]
    assert buttons(client_for(people["reporter"]).get(change_url(submitted))) == ["unsubmit"]


def test_the_desk_returns_copy_and_the_reporter_sees_the_note(people):
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    client_for(people["editor"]).post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"_workflow": "return", "workflow_note": "导语太长，请压缩到一百字"},
    )
    article.refresh_from_db()
    assert article.status == "returned"
    page = client_for(people["reporter"]).get(change_url(article)).content.decode()
    assert "导语太长，请压缩到一百字" in page
    assert buttons(client_for(people["reporter"]).get(change_url(article))) == ["resubmit"]


def test_a_refused_step_shows_a_message_and_changes_nothing(people):
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    response = client_for(people["editor"]).post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"_workflow": "return", "workflow_note": ""},
        follow=True,
    )
    assert "需要" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "submitted"


def test_the_desk_queue_lists_submitted_copy_oldest_first(people):
    workflow.transition(
        ArticleFactory(headline="先交的稿", created_by=people["reporter"], body="一二三。"),
        "submit",
        user=people["reporter"],
    )
    later = ArticleFactory(headline="后交的稿", created_by=people["other_reporter"])
    BylineFactory(article=later, person=people["other_reporter"].person)
    workflow.transition(later, "submit", user=people["other_reporter"])
    ArticleFactory(headline="还是草稿")
    content = client_for(people["editor"]).get(reverse("admin:articles_deskqueue_changelist"))
    content = content.content.decode()
    assert content.index("先交的稿") < content.index("后交的稿")
    assert "还是草稿" not in content
    assert "许诺" in content  # who filed it
    assert ">4<" in content  # 字数


# --- stale forms and revisions ------------------------------------------------


def test_a_stale_save_is_refused_and_the_typed_text_is_kept(people):
    article = ArticleFactory(status="submitted", headline="原标题")
    stale = form_data(article, body="我辛苦改了半天的正文。")
    # Another editor saves first.
    first = client_for(people["chief"]).post(
        change_url(article), form_data(article, headline="总编改的标题")
    )
    assert first.status_code == 302
    response = client_for(people["editor"]).post(change_url(article), stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "高远" in content  # who saved in between, by name
    assert "我辛苦改了半天的正文。" in content
    article.refresh_from_db()
    assert article.headline == "总编改的标题"
    assert article.body != "我辛苦改了半天的正文。"


def test_each_save_keeps_a_revision_and_a_restore_brings_it_all_back(people, admin_client):
    reporter = people["reporter"]
    url = reverse("admin:articles_article_add")
    data = form_data(
        Article(headline="第一稿", body="初稿正文。"),
        tags=["信访"],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-person": str(reporter.person.pk),
            "bylines-0-role": "reporter",
            "bylines-0-position": "0",
        },
    )
    client = client_for(reporter)
    assert client.post(url, data).status_code == 302
    article = Article.objects.get()
    other = PersonFactory(name="马卓")
    byline = article.bylines.get()
    second = form_data(
        article,
        headline="第二稿",
        body="改写后的正文。",
        tags=["养老"],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": str(byline.pk),
            "bylines-0-article": str(article.pk),
            "bylines-0-person": str(other.pk),
            "bylines-0-role": "correspondent",
            "bylines-0-position": "0",
        },
    )
    assert client.post(change_url(article), second).status_code == 302
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]

    history = client_for(people["editor"]).get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    )
    assert "<del>一</del><ins>二</ins>" in history.content.decode()

    workflow.transition(article, "submit", user=reporter)
    response = client_for(people["editor"]).post(
        reverse("admin:articles_article_restore", args=[article.pk, 1])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body) == ("第一稿", "初稿正文。")
    assert [(b.person.name, b.role) for b in article.bylines.all()] == [("林晓", "reporter")]
    assert list(article.tags.names()) == ["信访"]
    assert article.status == "submitted"  # restoring content moves nothing in the workflow
    assert Revision.objects.filter(article=article).count() == 3


# --- corrections ----------------------------------------------------------------


@pytest.fixture
def published(people):
    article = ArticleFactory(status="approved", body="覆盖率达94.76%。")
    return workflow.transition(article, "publish_now", user=people["editor"])


def test_changing_published_text_needs_a_correction_note(people, published):
    client = client_for(people["editor"])
    response = client.post(change_url(published), form_data(published, body="覆盖率达95.76%。"))
    assert response.status_code == 200
    assert "更正" in response.content.decode()
    published.refresh_from_db()
    assert published.body == "覆盖率达94.76%。"
    assert not Correction.objects.exists()


def test_a_correction_is_kept_and_refreshes_public_pages(
    people, published, django_capture_on_commit_callbacks
):
    before = versions_tag([article_key(published.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["editor"]).post(
            change_url(published),
            form_data(
                published, body="覆盖率达95.76%。", correction="原稿覆盖率数字有误，已更正。"
            ),
        )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.body == "覆盖率达95.76%。"
    (correction,) = published.corrections.all()
    assert correction.text == "原稿覆盖率数字有误，已更正。"
    assert correction.created_by == people["editor"]
    assert versions_tag([article_key(published.pk)]) != before  # its pages are dropped
    page = client_for(people["editor"]).get(change_url(published)).content.decode()
    assert "原稿覆盖率数字有误" in page


def test_reporters_cannot_touch_published_copy(people, published):
    published.created_by = people["reporter"]
    published.save()
    before = snapshot(published)
    response = client_for(people["reporter"]).post(
        change_url(published), form_data(published, body="记者自己改。", correction="改")
    )
    assert response.status_code == 403
    assert snapshot(published) == before


# --- the edition planner ---------------------------------------------------------


def test_the_planner_shows_pages_side_by_side_with_problems_next_to_them(people):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    ArticleFactory(page=page, position=1, status="approved", headline="没有署名的头条")
    PageFactory(edition=edition, number=2, name="", editor=None)
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    content = client_for(people["chief"]).get(url).content.decode()
    assert "第1版" in content and "第2版" in content
    card = content[content.index("没有署名的头条") :]
    assert "没有署名" in card[: card.index("</li>")]
    assert 'value="sign_off"' in content


def test_the_desk_places_and_orders_approved_copy_in_the_planner(people):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, editor=PersonFactory())
    first = ArticleFactory(status="approved", headline="甲")
    second = ArticleFactory(status="approved", headline="乙")
    client = client_for(people["editor"])
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    for article in (first, second):
        client.post(url, {"action": "place", "article": article.pk, "page": page.pk})
    client.post(url, {"action": "up", "article": second.pk})
    assert list(page.articles.order_by("position").values_list("headline", flat=True)) == [
        "乙",
        "甲",
    ]


def test_the_chief_editor_signs_off_and_publishes_from_the_planner(people):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    article = ArticleFactory(page=page, position=1, status="approved")
    BylineFactory(article=article)
    client = client_for(people["chief"])
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    client.post(url, {"action": "sign_off"})
    response = client.post(url, {"action": "publish"}, follow=True)
    # The click returns at once: the edition is published by its job, all at once.
    assert "片刻后读者即可看到全部稿件" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF and not Article.objects.published()
    assert run_jobs() == 1
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED
    assert article in Article.objects.published()


def test_an_editor_cannot_sign_off_from_the_planner(people):
    edition = EditionFactory()
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    response = client_for(people["editor"]).post(url, {"action": "sign_off"}, follow=True)
    assert "总编辑" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == "planning"


# --- photographers ------------------------------------------------------------------


def test_a_photographer_sees_copy_on_the_desk_but_not_drafts(people):
    ArticleFactory(status="submitted", headline="待配图的稿子")
    ArticleFactory(status="draft", headline="别人的草稿")
    content = client_for(people["photographer"]).get(reverse("admin:articles_article_changelist"))
    content = content.content.decode()
    assert "待配图的稿子" in content and "别人的草稿" not in content


def photo_form(photo, **overrides):
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "uses-TOTAL_FORMS": "0",
        "uses-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_photographer_edits_own_photos_only(people):
    from tests.factories import PhotoFactory

    own = PhotoFactory(created_by=people["photographer"], caption="自己拍的")
    other = PhotoFactory(caption="别人拍的")
    client = client_for(people["photographer"])
    url = reverse("admin:media_photo_change", args=[own.pk])
    assert client.post(url, photo_form(own, caption="改好的说明")).status_code == 302
    own.refresh_from_db()
    assert own.caption == "改好的说明"
    url = reverse("admin:media_photo_change", args=[other.pk])
    assert client.post(url, photo_form(other, caption="乱改")).status_code == 403
    other.refresh_from_db()
    assert other.caption == "别人拍的"


def test_a_photographer_attaches_a_photo_to_copy_on_the_desk(people):
    from tests.factories import PhotoFactory

    photo = PhotoFactory(created_by=people["photographer"])
    article = ArticleFactory(status="submitted")
    client = client_for(people["photographer"])
    url = reverse("admin:media_photo_change", args=[photo.pk])
    data = photo_form(
        photo,
        **{
            "uses-TOTAL_FORMS": "1",
            "uses-0-article": str(article.pk),
            "uses-0-caption": "本稿配图说明",
            "uses-0-position": "0",
        },
    )
    assert client.post(url, data).status_code == 302
    use = article.article_photos.get()
    assert use.photo == photo and use.display_caption == "本稿配图说明"


def test_the_desk_gives_photo_news_a_web_headline(people):
    photo_news = ArticleFactory(
        kind="photo", headline="", status="submitted", body="11月24日，孩子们在菜地里拔萝卜。"
    )
    response = client_for(people["editor"]).post(
        change_url(photo_news), form_data(photo_news, web_headline="校园农场萝卜丰收")
    )
    assert response.status_code == 302
    photo_news.refresh_from_db()
    assert str(photo_news) == "校园农场萝卜丰收"
    assert (
        photo_news.revisions.latest("number").content["fields"]["web_headline"]
        == "校园农场萝卜丰收"
    )


@pytest.mark.parametrize("step", ["approve", "place"])
def test_a_step_posted_from_a_page_opened_before_a_change_is_refused(people, step):
    """The read-only panel carries the version it showed; copy changed since is not stepped on."""
    article = ArticleFactory(status="submitted" if step == "approve" else "approved")
    BylineFactory(article=article)
    page = PageFactory(edition=EditionFactory())
    opened_at = article.version
    # A correction of wording by someone else: approved copy stays approved.
    article.body += "\n\n补充一段。"
    services.save_article(article, user=people["chief"])
    article.refresh_from_db()
    assert article.status == ("submitted" if step == "approve" else "approved")
    before = snapshot(article)
    client_for(people["editor"]).post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"_workflow": step, "workflow_page": page.pk, "base_version": opened_at},
        follow=True,
    )
    assert snapshot(article) == before
    assert not article.transitions.filter(action__in=["approve", "place"]).exists()
