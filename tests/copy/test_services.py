"""The write path itself: each rule holds when the services are called directly, not only in the admin."""

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles import services, workflow
from articles.models import Article, Correction, Edition, Page, Revision, Section
from media.models import Photo
from people.models import Person
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


def stored(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


# Each service, called as someone it must refuse, on an object in a state it must refuse.


def colleagues_draft(people):
    article = ArticleFactory(created_by=people["other_reporter"])
    article.headline = "改别人的草稿"
    return article, lambda user: services.save_article(article, user=user)


def signed_off_copy(people):
    page = PageFactory(edition=EditionFactory(status=Edition.Status.SIGNED_OFF))
    article = ArticleFactory(status="approved", page=page)
    article.body = "签发后改的正文。"
    return article, lambda user: services.save_article(article, user=user)


def published_without_note(people):
    article = ArticleFactory(status="published", published_at="2026-01-01T00:00:00Z")
    article.body = "不写更正就改。"
    return article, lambda user: services.save_article(article, user=user)


def colleagues_photo(people):
    photo = PhotoFactory(created_by=people["editor"])
    photo.caption = "改同事的图片说明。"
    return photo, lambda user: services.save_photo(photo, user=user)


def signed_off_edition(people):
    edition = EditionFactory(status=Edition.Status.SIGNED_OFF)
    edition.number = 1
    return edition, lambda user: services.save_edition(edition, user=user)


def signed_off_page(people):
    page = PageFactory(edition=EditionFactory(status=Edition.Status.SIGNED_OFF))
    page.name = ""
    return page, lambda user: services.save_page(page, user=user)


def page_with_copy(people):
    page = PageFactory()
    ArticleFactory(page=page, status="approved")
    return page, lambda user: services.delete_page(page, user=user)


def submitted_copy(people):
    article = ArticleFactory(status="submitted")
    return article, lambda user: services.delete_article(article, user=user)


def section_by_reporter(people):
    section = Section.objects.create(name="要闻", slug="yaowen")
    section.name = "改名"
    return section, lambda user: services.save_section(section, user=user)


def tag_by_photographer(people):
    tag = Tag.objects.create(name="信访")
    tag.name = "改名"
    return tag, lambda user: services.save_tag(tag, user=user)


def account_link(people):
    person = PersonFactory()
    person.user = people["nobody"]
    return person, lambda user: services.save_person(person, user=user)


REFUSALS = [
    (colleagues_draft, "reporter"),
    (signed_off_copy, "editor"),
    (signed_off_copy, "chief"),
    (published_without_note, "editor"),
    (published_without_note, "reporter"),
    (colleagues_photo, "photographer"),
    (signed_off_edition, "editor"),
    (signed_off_edition, "chief"),
    (signed_off_page, "editor"),
    (page_with_copy, "editor"),
    (submitted_copy, "editor"),
    (section_by_reporter, "reporter"),
    (tag_by_photographer, "photographer"),
    (account_link, "editor"),
    (account_link, "chief"),
]


@pytest.mark.parametrize(
    "make, role", REFUSALS, ids=[f"{make.__name__}-{role}" for make, role in REFUSALS]
)
def test_each_service_refuses_what_the_rules_refuse_and_changes_nothing(people, make, role):
    obj, attempt = make(people)
    before = stored(obj)
    with pytest.raises(services.Refused):
        attempt(people[role])
    assert stored(obj) == before
    assert not Revision.objects.exists() and not Correction.objects.exists()


# The version: every change raises it, workflow steps too, and a stale base is refused.


def test_a_workflow_step_makes_a_form_opened_before_it_stale(people):
    article = ArticleFactory(status="submitted", headline="原标题")
    opened_at = article.version
    workflow.transition(article, "approve", user=people["chief"])
    article.headline = "编辑在审核前打开的表单里改的标题"
    with pytest.raises(services.Stale):
        services.save_article(article, user=people["editor"], base_version=opened_at)
    assert Article.objects.get(pk=article.pk).headline == "原标题"


@pytest.mark.parametrize("model", [Photo, Person, Page, Edition])
def test_a_stale_save_of_photos_people_pages_and_editions_is_refused(people, model):
    make = {
        Photo: PhotoFactory,
        Person: PersonFactory,
        Page: PageFactory,
        Edition: EditionFactory,
    }[model]
    save = {
        Photo: services.save_photo,
        Person: services.save_person,
        Page: services.save_page,
        Edition: services.save_edition,
    }[model]
    obj = make()
    opened_at = obj.version
    save(model.objects.get(pk=obj.pk), user=people["editor"], base_version=opened_at)
    assert model.objects.get(pk=obj.pk).version == opened_at + 1
    with pytest.raises(services.Stale):
        save(obj, user=people["chief"], base_version=opened_at)


def test_a_save_that_changes_nothing_keeps_the_version_and_adds_no_revision(people):
    article = ArticleFactory(created_by=people["reporter"])
    services.save_article(article, user=people["reporter"])
    version, revisions = article.version, article.revisions.count()
    services.save_article(Article.objects.get(pk=article.pk), user=people["reporter"])
    assert Article.objects.get(pk=article.pk).version == version
    assert article.revisions.count() == revisions


def test_the_write_path_never_writes_workflow_fields(people):
    article = ArticleFactory(created_by=people["reporter"])
    article.headline = "新标题"
    article.status = "published"
    article.published_at = "2020-01-01T00:00:00Z"
    article.approved_by = people["chief"]
    article.page = PageFactory()
    services.save_article(article, user=people["reporter"])
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.headline == "新标题"
    assert (fresh.status, fresh.published_at, fresh.approved_by, fresh.page) == (
        "draft",
        None,
        None,
        None,
    )


def test_new_copy_starts_as_a_draft_filed_by_whoever_saves_it(people):
    article = Article(headline="新稿", status="published", created_by=people["chief"])
    services.save_article(article, user=people["reporter"])
    assert (article.status, article.created_by) == ("draft", people["reporter"])
    assert article.revisions.count() == 1


# The workflow's own rules.


def test_only_approved_copy_is_placed_on_a_page(people):
    draft = ArticleFactory(status="draft")
    with pytest.raises(workflow.TransitionRefused):
        workflow.place(draft, user=people["editor"], page=PageFactory())
    assert Article.objects.get(pk=draft.pk).page is None


def test_a_correction_needs_its_note(people):
    article = ArticleFactory(status="published", published_at="2026-01-01T00:00:00Z")
    with pytest.raises(services.Refused):
        services.correct(article, user=people["editor"], note="  ")
    assert not Correction.objects.exists()


def test_a_photo_caption_reprinted_on_published_copy_is_corrected_there(people):
    article = ArticleFactory(status="published", published_at="2026-01-01T00:00:00Z")
    BylineFactory(article=article)
    photo = PhotoFactory()
    article.article_photos.create(photo=photo)
    photo.caption = "新的说明。"
    services.save_photo(photo, user=people["editor"], correction="图片说明有误。")
    assert [c.text for c in article.corrections.all()] == ["图片说明有误。"]


def test_a_new_credit_alone_on_published_copy_with_its_own_caption_needs_a_correction(people):
    """The article prints its own caption, so only the 摄 credit changes what readers see."""
    article = ArticleFactory(status="published", published_at="2026-01-01T00:00:00Z")
    BylineFactory(article=article)
    photo = PhotoFactory()
    PhotoCreditFactory(photo=photo, person__name="宋卫东")
    article.article_photos.create(photo=photo, caption="本文自己的图片说明。")
    with pytest.raises(services.Refused):
        services.save_photo(photo, user=people["editor"], credits=[PersonFactory(name="李学军")])
    assert [c.person.name for c in photo.credits.all()] == ["宋卫东"]  # nothing changed
    services.save_photo(
        photo,
        user=people["editor"],
        credits=[PersonFactory(name="李学军")],
        correction="图片作者应为李学军。",
    )
    assert [c.text for c in article.corrections.all()] == ["图片作者应为李学军。"]


def test_import_runs_as_someone_and_their_name_is_on_the_record(people, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("新闻标题\n\n本报讯（记者 林晓）第一段正文。\n", encoding="utf-8")
    call_command("import_page", str(path), "--date", "2026-03-01", "--page", "1", "--by", "editor")
    article = Article.objects.get()
    assert article.revisions.get().created_by == people["editor"]
    assert article.page.edition.number is None
    assert "no_number" in {p.code for p in workflow.preflight(article.page.edition).problems}
