"""Filing is quick: photos uploaded from the article's own form, a preview of the unsaved form."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticlePhoto, Revision
from media.models import Photo
from tests.factories import ArticleFactory, BylineFactory, PersonFactory
from tests.media.pictures import picture_bytes, upload
from tests.newsroom import change_url, client_for, form_data

pytestmark = pytest.mark.django_db


def new_form(**overrides):
    """What the add form posts: a story with its reporter's byline."""
    data = {
        "kind": "news",
        "kicker": "",
        "headline": "地铁二号线开通",
        "subheadline": "",
        "source": "本报讯",
        "body": "11月28日，地铁二号线\n开通试运营。",
        "summary": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "article_photos-TOTAL_FORMS": "0",
        "article_photos-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def photo_row(n=0, **fields):
    row = {
        f"article_photos-{n}-photo": "",
        f"article_photos-{n}-new_caption": "11月28日，乘客在站台候车。",
        f"article_photos-{n}-alt_text": "站台上候车的乘客",
        f"article_photos-{n}-credit": "",
        f"article_photos-{n}-caption": "",
        f"article_photos-{n}-position": "0",
    }
    row.update({f"article_photos-{n}-{k}": v for k, v in fields.items()})
    return row


def test_a_reporter_files_a_story_with_a_photo_they_took_in_one_save(people, tmp_path):
    reporter = client_for(people["reporter"])
    page = reporter.get(reverse("admin:articles_article_add")).content.decode()
    # The add row is there for them, with themselves as the one who took the picture.
    assert 'name="article_photos-__prefix__-upload"' in page
    assert f'<option value="{people["reporter"].person.pk}" selected>' in page
    data = new_form(
        **{"article_photos-TOTAL_FORMS": "1"}, **photo_row(credit=people["reporter"].person.pk)
    )
    data["article_photos-0-upload"] = upload(picture_bytes(size=(120, 80)))
    response = reporter.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    photo = article.photos.get()
    assert (photo.caption, photo.alt_text, photo.created_by) == (
        "11月28日，乘客在站台候车。",
        "站台上候车的乘客",
        people["reporter"],
    )
    assert photo.image and photo.width == 120
    assert photo.credit_line == "林晓 摄"
    # One save, one revision, with the photo in it.
    assert Revision.objects.get(article=article).content["photos"][0]["photo"] == photo.pk


def test_the_credit_may_be_someone_else(people):
    colleague = PersonFactory(name="宋卫东")
    data = new_form(**{"article_photos-TOTAL_FORMS": "1"}, **photo_row(credit=colleague.pk))
    data["article_photos-0-upload"] = upload(picture_bytes())
    client_for(people["correspondent"]).post(reverse("admin:articles_article_add"), data)
    assert Photo.objects.get().credit_line == "宋卫东 摄"


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_filed(people):
    data = new_form(**{"article_photos-TOTAL_FORMS": "1"}, **photo_row())
    data["article_photos-0-upload"] = upload(b"<html>not a picture</html>", name="x.jpg")
    response = client_for(people["reporter"]).post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "地铁二号线开通" in response.content.decode()  # the form again, as typed
    assert not Article.objects.exists() and not Photo.objects.exists()


def test_a_photo_row_needs_a_photo_or_a_picture(people):
    data = new_form(**{"article_photos-TOTAL_FORMS": "1"}, **photo_row())
    response = client_for(people["reporter"]).post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "请从图片库选一张，或上传一张图片。" in response.content.decode()
    assert not Article.objects.exists()


def test_reporters_add_photos_to_their_own_drafts_only(people):
    mine = ArticleFactory(created_by=people["reporter"])
    on_the_desk = ArticleFactory(created_by=people["reporter"], status="submitted")
    reporter = client_for(people["reporter"])
    for article, allowed in [(mine, True), (on_the_desk, False)]:
        data = form_data(article, **{"article_photos-TOTAL_FORMS": "1"}, **photo_row())
        data["article_photos-0-upload"] = upload(picture_bytes())
        reporter.post(change_url(article), data)
        assert ArticlePhoto.objects.filter(article=article).exists() is allowed


def test_photographers_still_see_the_desk_and_reporters_do_not(people):
    from articles.permissions import visible_articles

    on_the_desk = ArticleFactory(status="submitted", headline="待审稿")
    assert on_the_desk in visible_articles(people["photographer"], Article.objects.all())
    assert on_the_desk not in visible_articles(people["reporter"], Article.objects.all())


# --- the preview of the unsaved form ---------------------------------------------------


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_add_preview")
    return reverse("admin:articles_article_preview", args=[article.pk])


def test_the_preview_shows_the_form_as_typed_and_keeps_nothing(people):
    article = ArticleFactory(created_by=people["reporter"], headline="旧标题")
    BylineFactory(article=article, person=people["reporter"].person)
    before = (article.version, Revision.objects.count())
    response = client_for(people["reporter"]).post(
        preview_url(article),
        form_data(article, headline="还没保存的新标题", body="第一段，断在\n行中。\n\n第二段。"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "还没保存的新标题" in page
    assert "第一段，断在行中。" in page  # joined as a save would join it
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"]
    article.refresh_from_db()
    assert article.headline == "旧标题"
    assert (article.version, Revision.objects.count()) == before


def test_new_copy_is_previewed_without_being_filed(people, settings):
    data = new_form(**{"article_photos-TOTAL_FORMS": "1"}, **photo_row())
    data["article_photos-0-upload"] = upload(picture_bytes())
    response = client_for(people["reporter"]).post(preview_url(), data)
    assert response.status_code == 200
    assert "地铁二号线开通" in response.content.decode()
    assert not Article.objects.exists() and not Photo.objects.exists()
    uploads = settings.MEDIA_ROOT
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_a_preview_of_a_form_with_mistakes_says_what_to_fix(people):
    response = client_for(people["reporter"]).post(preview_url(), new_form(headline=""))
    assert response.status_code == 400
    assert "主标题" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", ["other_reporter", "photographer", "nobody"])
def test_who_may_not_change_the_copy_gets_no_preview_of_changes(people, role):
    article = ArticleFactory(created_by=people["reporter"], headline="别人的稿")
    response = client_for(people[role]).post(
        preview_url(article), form_data(article, headline="改")
    )
    assert response.status_code in (302, 403)
    assert "改" not in response.content.decode()


def test_the_preview_is_posted_not_fetched(people):
    article = ArticleFactory(created_by=people["reporter"])
    assert client_for(people["reporter"]).get(preview_url(article)).status_code == 405


def test_the_form_counts_characters_while_typing(people):
    page = (
        client_for(people["reporter"]).get(reverse("admin:articles_article_add")).content.decode()
    )
    assert "newsroom/article-form.js" in page
    assert "<script>" not in page  # nothing inline: the CSP allows none


# --- the filer's byline, photos as they print, the preview's pictures ----------------------


def test_new_copy_starts_with_the_filers_own_byline(people, django_user_model):
    import lxml.html

    page = client_for(people["reporter"]).get(reverse("admin:articles_article_add"))
    doc = lxml.html.fromstring(page.content.decode())
    person = doc.cssselect("#id_bylines-0-person option[selected]")
    role = doc.cssselect("#id_bylines-0-role option[selected]")
    assert [o.get("value") for o in person] == [str(people["reporter"].person.pk)]
    assert [o.get("value") for o in role] == ["reporter"]
    # A correspondent is credited as one.
    doc = lxml.html.fromstring(
        client_for(people["correspondent"]).get(reverse("admin:articles_article_add")).content
    )
    assert [o.get("value") for o in doc.cssselect("#id_bylines-0-role option[selected]")] == [
        "correspondent"
    ]
    # The desk files for others: nobody is filled in for them.
    doc = lxml.html.fromstring(
        client_for(people["editor"]).get(reverse("admin:articles_article_add")).content
    )
    assert doc.cssselect("#id_bylines-0-person option[selected]") == []


def test_a_correspondents_copy_is_not_submitted_without_a_byline(people):
    from articles import workflow
    from articles.workflow import TransitionRefused

    draft = ArticleFactory(status="draft", created_by=people["correspondent"])
    with pytest.raises(TransitionRefused, match="署名"):
        workflow.transition(draft, "submit", user=people["correspondent"])
    assert Article.objects.get(pk=draft.pk).status == "draft"
    # The form offers no submit button for it, and says why when pressed.
    page = client_for(people["correspondent"]).get(change_url(draft)).content.decode()
    assert 'value="submit"' not in page
    BylineFactory(article=draft, person=people["correspondent"].person, role="correspondent")
    workflow.transition(draft, "submit", user=people["correspondent"])
    assert Article.objects.get(pk=draft.pk).status == "submitted"
    # A reporter's unsigned copy still reaches the desk (the desk signs it).
    staff = ArticleFactory(status="draft", created_by=people["reporter"])
    workflow.transition(staff, "submit", user=people["reporter"])


def test_a_photo_on_the_form_shows_its_picture_caption_and_credit(people):
    from tests.factories import PhotoCreditFactory, PhotoFactory

    article = ArticleFactory(status="draft", created_by=people["reporter"])
    photo = PhotoFactory(caption="乘客在站台候车。")
    PhotoCreditFactory(photo=photo, person=people["photographer"].person)
    ArticlePhoto.objects.create(article=article, photo=photo)
    page = client_for(people["reporter"]).get(change_url(article)).content.decode()
    import lxml.html

    use = lxml.html.fromstring(page).cssselect(".nr-photo-use")[0]
    assert use.cssselect("img")  # the thumbnail
    assert "乘客在站台候车。" in use.text_content() and "陈光 摄" in use.text_content()


def test_the_preview_shows_a_new_picture_by_its_caption_and_credit(people):
    data = new_form(
        **{"article_photos-TOTAL_FORMS": "1"}, **photo_row(credit=people["reporter"].person.pk)
    )
    data["article_photos-0-upload"] = upload(picture_bytes())
    page = client_for(people["reporter"]).post(preview_url(), data).content.decode()
    assert "11月28日，乘客在站台候车。" in page and "林晓 摄" in page
    assert "保存后显示" in page
    assert not Photo.objects.exists()
