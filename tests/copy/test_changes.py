"""Edits elsewhere (captions, names, sections, tags) reach every article that prints them."""

import pytest
from django.urls import reverse

from articles import search, workflow
from articles.cache import SECTIONS, article_key, section_key, versions_tag
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    article = ArticleFactory(status="approved", headline="白鹭归来")
    search.index_article(article)
    return workflow.transition(article, "publish_now", user=people["editor"])


def stamps(article):
    article.refresh_from_db()
    return article.updated_at


def test_a_caption_change_refreshes_the_articles_using_the_photo(
    published, admin_client, django_capture_on_commit_callbacks
):
    use = ArticlePhotoFactory(article=published, caption="")
    before, version = stamps(published), versions_tag([article_key(published.pk)])
    data = {
        "caption": "湿地里的白鹭群",
        "correction": "图片说明原误作“白鹭”，应为“白鹭群”。",
        "alt_text": use.photo.alt_text,
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "uses-TOTAL_FORMS": "1",
        "uses-INITIAL_FORMS": "1",
        "uses-0-id": str(use.pk),
        "uses-0-photo": str(use.photo.pk),
        "uses-0-article": str(published.pk),
        "uses-0-caption": "",
        "uses-0-position": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:media_photo_change", args=[use.photo.pk]), data)
    assert response.status_code == 302
    assert stamps(published) > before
    assert versions_tag([article_key(published.pk)]) != version
    assert [str(a) for a in search.search(Article.objects.published(), "白鹭群")] == ["白鹭归来"]
    assert [c.text for c in published.corrections.all()] == ["图片说明原误作“白鹭”，应为“白鹭群”。"]


def test_a_person_rename_refreshes_their_articles(
    published, admin_client, django_capture_on_commit_callbacks
):
    byline = BylineFactory(article=published, person__name="赵一鸣")
    search.index_article(published)
    before = stamps(published)
    person = byline.person
    data = {
        "name": "赵一明",
        "slug": person.slug,
        "kind": person.kind,
        "is_active": "on",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": str(byline.pk),
        "bylines-0-person": str(person.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:people_person_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stamps(published) > before
    assert [str(a) for a in search.search(Article.objects.published(), "赵一明")] == ["白鹭归来"]


def test_a_section_rename_restamps_its_articles(
    published, admin_client, django_capture_on_commit_callbacks
):
    section = SectionFactory(name="城市", slug="city")
    Article.objects.filter(pk=published.pk).update(section=section)
    shown_by = [SECTIONS, section_key(section.pk), article_key(published.pk)]
    before, versions = stamps(published), [versions_tag([key]) for key in shown_by]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_section_change", args=[section.pk]),
            {
                "name": "城事",
                "slug": "city",
                "position": "0",
                "description": "",
                "review_levels": "1",
            },
        )
    assert stamps(published) > before
    # The section bar, the section's list and its articles' pages are dropped.
    assert all(versions_tag([key]) != v for key, v in zip(shown_by, versions, strict=True))


def test_an_unrelated_save_changes_nothing(published, admin_client):
    section = SectionFactory(name="文化", slug="culture")
    before = stamps(published)
    admin_client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {
            "name": "文体",
            "slug": "culture",
            "position": "0",
            "description": "",
            "review_levels": "1",
        },
    )
    assert stamps(published) == before


def test_a_rename_printed_on_many_articles_is_reindexed_by_a_job(
    people, settings, django_capture_on_commit_callbacks
):
    from articles import services
    from tests.jobs import run_jobs

    settings.SEARCH_REINDEX_INLINE = 1
    person = PersonFactory(name="钱塘生")
    for headline in ("新桥合龙", "老街改造"):
        article = ArticleFactory(status="approved", headline=headline)
        BylineFactory(article=article, person=person)
        search.index_article(article)
        workflow.transition(article, "publish_now", user=people["editor"])
    assert list(search.search(Article.objects.published(), "钱江生")) == []
    person.name = "钱江生"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_person(person, user=people["desk_head"])
    # The rename's request indexed nothing itself: two articles are more than it does inline.
    assert list(search.search(Article.objects.published(), "钱江生")) == []
    assert run_jobs() == 1
    found = {str(a) for a in search.search(Article.objects.published(), "钱江生")}
    assert found == {"新桥合龙", "老街改造"}
