"""The side doors the workflow's promises once broke at, each tried as the insider would."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services, workflow
from articles.models import Article, ArticlePhoto, Correction, Edition, TransitionLog
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
from tests.jobs import run_jobs
from tests.newsroom import change_url, client_for, form_data

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def row(obj):
    """Every stored value of obj, to show that a refused request changed nothing."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.fixture
def signed_off(people):
    """A signed-off edition with approved copy on its one page."""
    edition = EditionFactory()
    # Page 1: the stray page moved in below is page 9, and must meet no other page 9.
    page = PageFactory(edition=edition, number=1, editor=PersonFactory(name="苏文"))
    article = ArticleFactory(status="approved", page=page, position=1, headline="签发的稿件")
    BylineFactory(article=article)
    workflow.sign_off(edition, user=people["chief"])
    return {"edition": edition, "page": page, "article": article}


# 1. The desk queue is a list, not a door.


def test_the_desk_queue_has_no_change_page_to_publish_through(people):
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    published_page = PageFactory(
        edition=EditionFactory(status=Edition.Status.PUBLISHED, published_at=ago(hours=1))
    )
    before = row(article)
    response = client_for(people["editor"]).post(
        f"/admin/articles/deskqueue/{article.pk}/change/",
        {
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "08:00:00",
            "page": published_page.pk,
            "approved_by": people["chief"].pk,
        },
    )
    assert response.status_code == 404
    assert row(article) == before
    assert not TransitionLog.objects.exists()


# 2. A signed-off edition stays as the chief signed it.


def test_a_page_cannot_be_moved_into_a_signed_off_edition(people, signed_off):
    stray = PageFactory(number=9, name="副刊")
    ArticleFactory(status="approved", page=stray, position=1, headline="夹带的稿件")
    before = row(stray)
    response = client_for(people["editor"]).post(
        reverse("admin:articles_page_change", args=[stray.pk]),
        {
            "edition": signed_off["edition"].pk,
            "number": "9",
            "name": "副刊",
            "base_version": str(stray.version),
            "articles-TOTAL_FORMS": "0",
            "articles-INITIAL_FORMS": "0",
            "zones-TOTAL_FORMS": "0",
            "zones-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "签发" in response.content.decode()  # why, in the form shown again
    assert row(stray) == before


def test_approved_copy_on_a_signed_off_edition_cannot_be_rewritten(people, signed_off):
    article = signed_off["article"]
    before = row(article)
    response = client_for(people["editor"]).post(
        change_url(article), form_data(article, body="签发后偷改的正文。")
    )
    assert response.status_code == 403
    assert row(article) == before


def test_a_published_editions_date_and_number_stay(people):
    edition = EditionFactory(status=Edition.Status.PUBLISHED, published_at=ago(hours=1))
    before = row(edition)
    response = client_for(people["editor"]).post(
        reverse("admin:articles_edition_change", args=[edition.pk]),
        {
            "date": "2030-01-01",
            "number": "1",
            "base_version": str(edition.version),
            "pages-TOTAL_FORMS": "0",
            "pages-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert row(edition) == before


def test_a_signed_off_page_keeps_its_name_editor_and_existence(people, signed_off):
    page = signed_off["page"]
    before = row(page)
    client = client_for(people["editor"])
    response = client.post(
        reverse("admin:articles_page_change", args=[page.pk]),
        {
            "edition": page.edition_id,
            "number": page.number,
            "name": "",
            "editor": "",
            "base_version": str(page.version),
        },
    )
    assert response.status_code == 403
    response = client.post(reverse("admin:articles_page_delete", args=[page.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert row(page) == before


# 3. Embargoed copy stays with those who may see it.


def test_a_person_page_lists_only_the_copy_the_viewer_may_see(people):
    colleague = people["other_reporter"]
    draft = ArticleFactory(created_by=colleague, headline="同事尚未交稿的独家")
    spiked = ArticleFactory(created_by=colleague, status="spiked", headline="被枪毙的稿件")
    for article in (draft, spiked):
        BylineFactory(article=article, person=colleague.person)
    url = reverse("admin:people_person_change", args=[colleague.person.pk])
    for role in ("reporter", "correspondent", "photographer"):
        content = client_for(people[role]).get(url).content.decode()
        assert "同事尚未交稿的独家" not in content and "被枪毙的稿件" not in content, role
    content = client_for(people["editor"]).get(url).content.decode()
    assert "同事尚未交稿的独家" in content and "被枪毙的稿件" in content


def test_a_photo_page_lists_only_the_copy_the_viewer_may_see(people):
    photo = PhotoFactory(created_by=people["photographer"])
    PhotoCreditFactory(photo=photo, person=people["photographer"].person)
    draft = ArticleFactory(created_by=people["reporter"], headline="配图的草稿")
    ArticlePhoto.objects.create(article=draft, photo=photo)
    url = reverse("admin:media_photo_change", args=[photo.pk])
    assert "配图的草稿" not in client_for(people["photographer"]).get(url).content.decode()
    assert "配图的草稿" in client_for(people["reporter"]).get(url).content.decode()


# 4. Photographers change their own pictures, and illustrate only what they may.


def test_the_describe_page_does_not_change_a_colleagues_photo(people):
    theirs = PhotoFactory(created_by=people["editor"], caption="编辑的说明。")
    url = reverse("admin:media_photo_describe") + f"?ids={theirs.pk}"
    client = client_for(people["photographer"])
    assert f'value="{theirs.pk}"' not in client.get(url).content.decode()
    client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(theirs.pk),
            "form-0-caption": "摄影记者改的说明。",
            "form-0-alt_text": "改过",
        },
    )
    theirs.refresh_from_db()
    assert theirs.caption == "编辑的说明。"


def photo_page_post(photo, article, caption="摄影记者写的说明"):
    return {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "base_version": str(photo.version),
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "uses-TOTAL_FORMS": "1",
        "uses-INITIAL_FORMS": "0",
        "uses-0-article": str(article.pk),
        "uses-0-caption": caption,
        "uses-0-position": "0",
    }


@pytest.mark.parametrize("state", ["published", "colleagues_draft"])
def test_a_photographer_cannot_attach_a_photo_to_copy_beyond_the_desk(people, state):
    photo = PhotoFactory(created_by=people["photographer"])
    if state == "published":
        article = ArticleFactory(status="published", published_at=ago(hours=1))
    else:
        article = ArticleFactory(created_by=people["reporter"])
    before = row(article)
    client_for(people["photographer"]).post(
        reverse("admin:media_photo_change", args=[photo.pk]), photo_page_post(photo, article)
    )
    assert not ArticlePhoto.objects.exists()
    assert row(article) == before
    assert not Correction.objects.exists()


def test_a_photographer_illustrates_copy_on_the_desk_and_it_is_on_record(people):
    photo = PhotoFactory(created_by=people["photographer"])
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    version = article.version
    response = client_for(people["photographer"]).post(
        reverse("admin:media_photo_change", args=[photo.pk]), photo_page_post(photo, article)
    )
    assert response.status_code == 302
    use = ArticlePhoto.objects.get()
    assert (use.article, use.caption) == (article, "摄影记者写的说明")
    article.refresh_from_db()
    assert article.version > version  # a form opened before it is stale now
    assert article.revisions.latest("number").content["photos"][0]["photo"] == photo.pk


# 5. No lost updates outside the article form either.


@pytest.mark.parametrize("model", ["photo", "person"])
def test_of_two_saves_from_the_same_form_the_second_is_refused(people, model):
    if model == "photo":
        obj = PhotoFactory(caption="原说明。")
        url = reverse("admin:media_photo_change", args=[obj.pk])
        field = "caption"
        base = {
            "alt_text": obj.alt_text,
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
            "uses-TOTAL_FORMS": "0",
            "uses-INITIAL_FORMS": "0",
        }
    else:
        obj = PersonFactory(name="赵一")
        url = reverse("admin:people_person_change", args=[obj.pk])
        field = "name"
        base = {"kind": "staff", "is_active": "on", "bylines-TOTAL_FORMS": "0"}
        base["bylines-INITIAL_FORMS"] = "0"
    base["base_version"] = str(obj.version)
    first = client_for(people["editor"]).post(url, {**base, field: "第一个人的修改。"})
    assert first.status_code == 302
    second = client_for(people["chief"]).post(url, {**base, field: "第二个人的修改。"})
    assert second.status_code == 200
    assert "第二个人的修改。" in second.content.decode()  # kept in the form
    obj.refresh_from_db()
    assert getattr(obj, field) == "第一个人的修改。"


def test_an_import_makes_a_form_opened_before_it_stale(people, tmp_path):
    page_text = "新闻标题\n\n本报讯（记者 林晓）第一段正文。\n"
    path = tmp_path / "page.txt"
    path.write_text(page_text, encoding="utf-8")
    args = [str(path), "--date", "2026-03-01", "--page", "1", "--by", "editor"]
    call_command("import_page", *args)
    article = Article.objects.get()
    stale = form_data(article, body="编辑在导入前打开的表单里写的。")
    path.write_text(page_text.replace("第一段", "改过的第一段"), encoding="utf-8")
    call_command("import_page", *args)
    response = client_for(people["editor"]).post(change_url(article), stale)
    assert response.status_code == 200
    article.refresh_from_db()
    assert "改过的第一段" in article.body


# 6. Published copy changes only with a correction.


@pytest.fixture
def published(people):
    article = ArticleFactory(status="approved", created_by=people["reporter"])
    BylineFactory(article=article, person=people["reporter"].person)
    return workflow.transition(article, "publish_now", user=people["editor"])


def byline_change(article, person):
    byline = article.bylines.get()
    return form_data(
        article,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": str(byline.pk),
            "bylines-0-article": str(article.pk),
            "bylines-0-person": str(person.pk),
            "bylines-0-role": "reporter",
            "bylines-0-position": "0",
        },
    )


def test_changing_the_byline_of_published_copy_needs_a_correction(people, published):
    other = PersonFactory(name="许诺")
    client = client_for(people["editor"])
    response = client.post(change_url(published), byline_change(published, other))
    assert response.status_code == 200
    assert [b.person for b in published.bylines.all()] == [people["reporter"].person]
    data = byline_change(published, other)
    data["correction"] = "本文作者署名有误，已更正。"
    assert client.post(change_url(published), data).status_code == 302
    assert [b.person for b in published.bylines.all()] == [other]
    assert [c.text for c in published.corrections.all()] == ["本文作者署名有误，已更正。"]


def photo_on(article, photographer):
    photo = PhotoFactory(created_by=photographer, caption="原来的说明。")
    PhotoCreditFactory(photo=photo, person=photographer.person)
    ArticlePhoto.objects.create(article=article, photo=photo)
    return photo


def caption_change(photo, caption, **extra):
    return {
        "caption": caption,
        "alt_text": photo.alt_text,
        "base_version": str(photo.version),
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "uses-TOTAL_FORMS": "0",
        "uses-INITIAL_FORMS": "0",
        **extra,
    }


def test_a_photographer_cannot_reprint_a_caption_on_published_copy(people, published):
    photo = photo_on(published, people["photographer"])
    response = client_for(people["photographer"]).post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        caption_change(photo, "摄影记者改的说明。", correction="我改了说明。"),
    )
    assert response.status_code == 200
    assert "编辑" in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "原来的说明。"
    assert not Correction.objects.exists()


def test_an_editor_reprints_a_caption_on_published_copy_with_a_correction(people, published):
    photo = photo_on(published, people["photographer"])
    url = reverse("admin:media_photo_change", args=[photo.pk])
    client = client_for(people["editor"])
    assert client.post(url, caption_change(photo, "编辑改的说明。")).status_code == 200
    photo.refresh_from_db()
    assert photo.caption == "原来的说明。"
    response = client.post(
        url, caption_change(photo, "编辑改的说明。", correction="图片说明有误，已更正。")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "编辑改的说明。"
    assert [c.text for c in published.corrections.all()] == ["图片说明有误，已更正。"]


# 7. Accounts are linked by those who manage accounts.


def test_a_reporter_cannot_bind_a_person_to_another_account(people, superuser):
    response = client_for(people["reporter"]).post(
        reverse("admin:people_person_add"),
        {
            "name": "冒名者",
            "kind": "staff",
            "user": str(superuser.pk),
            "is_active": "on",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302  # the person is added; the account link is not theirs
    assert Person.objects.get(name="冒名者").user is None
    assert not Person.objects.filter(user=superuser).exists()


def test_the_write_path_refuses_an_account_link_from_anyone_else(people, superuser):
    person = PersonFactory(name="路人")
    person.user = superuser
    with pytest.raises(services.Refused):
        services.save_person(person, user=people["editor"])
    assert Person.objects.get(pk=person.pk).user is None


# 8. A workflow button never loses what was typed.


def test_submitting_from_a_changed_form_saves_the_text_first(people):
    draft = ArticleFactory(created_by=people["reporter"], body="旧正文。")
    response = client_for(people["reporter"]).post(
        change_url(draft), form_data(draft, body="刚刚写完的一段。", _workflow="submit")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("刚刚写完的一段。", "submitted")
    assert draft.revisions.latest("number").content["fields"]["body"] == "刚刚写完的一段。"


def test_a_refused_step_keeps_the_typed_text_and_changes_nothing(people):
    submitted = ArticleFactory(status="submitted", created_by=people["reporter"])
    before = row(submitted)
    response = client_for(people["editor"]).post(
        change_url(submitted),
        form_data(submitted, body="编辑改了一半的正文。", _workflow="return", workflow_note=""),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "编辑改了一半的正文。" in content
    assert "需要" in content  # the return needs a note
    assert row(submitted) == before


def test_an_invalid_form_takes_no_step(people):
    draft = ArticleFactory(created_by=people["reporter"])
    response = client_for(people["reporter"]).post(
        change_url(draft), form_data(draft, headline="", body="写好的正文。", _workflow="submit")
    )
    assert response.status_code == 200
    assert "写好的正文。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


# 9. Imported copy is the importer's to work, and an edition needs its number.


def test_imported_copy_is_filed_by_the_importer_who_submits_it(people, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("新闻标题\n\n本报讯（记者 林晓）第一段正文。\n", encoding="utf-8")
    call_command("import_page", str(path), "--date", "2026-03-01", "--page", "1", "--by", "editor")
    article = Article.objects.get()
    assert article.created_by == people["editor"]
    assert article.transitions.get().actor == people["editor"]
    article = workflow.transition(article, "submit", user=people["editor"])
    response = client_for(people["chief"]).post(
        change_url(article), form_data(article, headline="总编改的标题")
    )
    assert response.status_code == 302  # the desk works it like any other copy


def test_an_import_needs_to_know_who_imports(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "page.txt"
    path.write_text("新闻标题\n\n本报讯（记者 林晓）第一段正文。\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--by"):
        call_command("import_page", str(path), "--date", "2026-03-01", "--page", "1")
    assert not Article.objects.exists()


def test_an_edition_without_a_number_is_a_preflight_problem():
    edition = EditionFactory(number=None)
    assert "no_number" in {p.code for p in workflow.preflight(edition).problems}


# 10. A published edition has no problems to report.


def test_the_planner_of_a_published_edition_reports_no_problems(people, signed_off):
    workflow.publish_edition(signed_off["edition"], user=people["chief"])
    url = reverse("admin:articles_edition_planner", args=[signed_off["edition"].pk])
    content = client_for(people["editor"]).get(url).content.decode()
    assert "签发的稿件" in content
    assert 'id="nr-preflight"' not in content


# 11. Filers preview their own copy; a refusal is the site's own page.


def test_a_refusal_is_the_sites_own_page_in_chinese(people):
    response = client_for(people["reporter"]).get(reverse("admin:articles_edition_changelist"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "<html" in content and "不允许" in content


# 12. A restore asks whether this user may change the copy now.


def test_a_reporter_cannot_restore_approved_copy(people):
    article = ArticleFactory(created_by=people["reporter"], headline="第一稿")
    services.save_article(article, user=people["reporter"])
    article.headline = "第二稿"
    services.save_article(article, user=people["reporter"])
    Article.objects.filter(pk=article.pk).update(status="approved")
    before = row(article)
    response = client_for(people["reporter"]).post(
        reverse("admin:articles_article_restore", args=[article.pk, 1]), follow=True
    )
    assert re.search("不|只有", response.content.decode())
    assert row(article) == before


# The import page: an editor's door to the importer.

# The picture stands apart from the article (a wider gap), so it is photo news.
PAGE = "新闻标题\n\n本报讯（记者 林晓）第一段正文。\n\n\n\n图片说明写在这里。\n\n陈光 摄\n"


def test_an_editor_reads_the_parse_then_imports_the_page(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people["editor"])
    url = reverse("admin:articles_page_import")
    form = {"date": "2026-03-01", "number": "3", "name": "要闻"}
    upload = SimpleUploadedFile("page.txt", PAGE.encode(), content_type="text/plain")
    preview = client.post(url, {**form, "file": upload, "preview": "1"})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "新闻标题" in content and "本报讯(记者 林晓)" in content and "陈光 摄" in content
    assert not Article.objects.exists()  # reading writes nothing
    text = re.search(r'name="text" value="([^"]*)"', content).group(1)
    response = client.post(url, {**form, "text": text.replace("&#x27;", "'"), "confirm": "1"})
    assert response.status_code == 302
    assert not Article.objects.exists()  # the import is a job: nothing written in the request
    assert "正在导入版面…" in client.get(response.url).content.decode()
    assert run_jobs() == 1
    shown = client.get(response.url).content.decode()
    assert "已导入：新增 2 篇" in shown and "打开版面编排" in shown
    assert "第 7 行: 稿件之间带署名的图片按图片新闻处理" in shown  # its warnings, when done
    assert {a.created_by for a in Article.objects.all()} == {people["editor"]}
    assert Article.objects.count() == 2
    assert Article.objects.get(kind="photo").article_photos.get().photo.credit_line == "陈光 摄"


def test_a_page_that_cannot_be_read_is_explained_and_nothing_is_written(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("page.txt", "没有电头的一段话".encode(), content_type="text/plain")
    response = client_for(people["editor"]).post(
        reverse("admin:articles_page_import"),
        {"date": "2026-03-01", "number": "3", "file": upload, "confirm": "1"},
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "nobody"])
def test_only_the_desk_imports_pages(people, role):
    response = client_for(people[role]).get(reverse("admin:articles_page_import"))
    assert response.status_code == 403


def test_the_import_page_shows_where_the_reading_is_a_guess(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = "聚焦数据\n\n外贸增长9.6%\n\n本报讯(记者 王海)正文。\n"
    upload = SimpleUploadedFile("page.txt", page.encode(), content_type="text/plain")
    response = client_for(people["editor"]).post(
        reverse("admin:articles_page_import"),
        {"date": "2026-03-01", "number": "3", "file": upload, "preview": "1"},
    )
    content = response.content.decode()
    assert 'id="nr-import-guesses"' in content
    assert "第 1 行" in content or "第1行" in content
    assert not Article.objects.exists()
