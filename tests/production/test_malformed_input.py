"""The malformed requests of issue 14, each answered with a 400 or 404 (or the admin's own refusal).

test_hostile_input.py sends such values everywhere; these tests name the
cases that were 500s and say what the answer is now.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from taggit.models import Tag

from articles.models import Article, Edition
from media.models import Photo
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoFactory,
    SectionFactory,
)

from ..media.pictures import picture_bytes, upload

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def editor(people):
    client = Client()
    client.force_login(people["editor"])
    return client


def is_our_400_page(response):
    return (
        response.status_code == 400
        and response["Content-Type"].startswith("text/html")
        and "请求有误" in response.content.decode()
    )


@pytest.mark.parametrize(
    "path",
    [
        "/sections/%00/",
        "/tags/%00/",
        "/people/%00/",
        "/feeds/sections/%00/rss/",
        "/feeds/tags/%00/atom/",
        "/feeds/people/a%00b/rss/",
        "/search/?section=%00",
        "/search/?q=%00",
        "/media/photos/%00.jpg",
    ],
)
def test_a_nul_byte_gets_the_sites_own_400_page(client, path):
    assert is_our_400_page(client.get(path))


def test_the_400_page_is_in_the_readers_language_not_the_last_requests(client):
    """Refused before LocaleMiddleware: the thread may still speak the last request's language."""
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    translation.activate("en")  # as a server thread is left after an English request
    try:
        assert is_our_400_page(client.get("/media/photos/%00.jpg"))
    finally:
        translation.deactivate()


def test_a_nul_byte_in_the_api_gets_a_problem_document(client):
    response = client.get("/api/v1/articles/?section=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 400


def test_a_nul_byte_in_a_header_is_refused_before_it_reaches_the_login_records(client):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "wrong"},
        headers={"user-agent": "bot\x00"},
    )
    assert is_our_400_page(response)
    assert not AccessFailureLog.objects.exists()


def test_a_ten_thousand_character_username_is_refused_by_the_login_form(client):
    response = client.post(reverse("admin:login"), {"username": "x" * 10_000, "password": "pw"})
    assert response.status_code == 200
    assert "150" in response.content.decode()  # "at most 150 characters"
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


@pytest.mark.parametrize("query", ["person=%00", "tag=%00", "tag=a%00b"])
def test_article_list_filters_with_a_nul_byte_get_the_400_page(editor, query):
    assert is_our_400_page(editor.get(f"{reverse('admin:articles_article_changelist')}?{query}"))


@pytest.mark.parametrize(
    "query", ["edition=abc", f"edition={HUGE}", "edition=²", f"created_at__year={HUGE}"]
)
def test_article_list_filters_that_are_not_numbers_get_the_admins_own_refusal(editor, query):
    """The admin answers a filter it cannot apply with the whole list and ?e=1."""
    EditionFactory()  # the edition filter shows (and applies) once there are editions
    response = editor.get(f"{reverse('admin:articles_article_changelist')}?{query}")
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_edition_filter_still_filters_by_a_real_edition(editor):
    page = PageFactory()
    ArticleFactory(headline="版面上的稿件", page=page)
    ArticleFactory(headline="别处的稿件")
    url = f"{reverse('admin:articles_article_changelist')}?edition={page.edition_id}"
    assert [str(a) for a in editor.get(url).context["cl"].result_list] == ["版面上的稿件"]


def test_describing_photos_with_ids_that_are_not_photos_shows_an_empty_page(editor):
    photo = PhotoFactory()
    url = reverse("admin:media_photo_describe")
    for ids in [HUGE, "abc", f"{photo.pk},{HUGE},²"]:
        response = editor.get(f"{url}?ids={ids}")
        assert response.status_code == 200
    assert [form.instance for form in response.context["formset"]] == [photo]


def test_the_autocomplete_refuses_a_nul_byte_in_its_term(editor):
    url = reverse("admin:autocomplete")
    query = "app_label=articles&model_name=article&field_name=section"
    assert editor.get(f"{url}?{query}&term=%E5%9F%8E").status_code == 200
    assert is_our_400_page(editor.get(f"{url}?{query}&term=%00"))


def test_a_planner_step_on_an_article_that_is_not_a_number_says_so(people):
    edition = EditionFactory()
    client = Client()
    client.force_login(people["editor"])
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    for article in ["abc", HUGE]:
        response = client.post(url, {"action": "up", "article": article})
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "该稿件已不存在。"


def test_scheduling_an_impossible_time_in_the_planner_asks_for_a_time(people):
    edition = EditionFactory(status=Edition.Status.SIGNED_OFF)
    client = Client()
    client.force_login(people["chief"])
    url = reverse("admin:articles_edition_planner", args=[edition.pk])
    response = client.post(url, {"action": "schedule", "at": "2022-02-30T25:61"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.published_at is None


@pytest.mark.parametrize("page", ["abc", HUGE, "²"])
def test_placing_copy_on_a_page_that_is_not_a_number_is_refused(editor, page):
    article = ArticleFactory(status=Article.Status.APPROVED)
    url = reverse("admin:articles_article_workflow", args=[article.pk])
    response = editor.post(url, {"_workflow": "place", "workflow_page": page})
    assert response.status_code == 302
    assert "请选择要排上的版面" in [str(m) for m in get_messages(response.wsgi_request)][0]
    article.refresh_from_db()
    assert article.page is None


def test_tags_with_a_nul_byte_get_the_400_page_and_change_nothing(editor):
    article = ArticleFactory(section=SectionFactory())
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor.post(url, {"headline": "新标题", "tags": ["信访\x00"]})
    assert is_our_400_page(response)
    article.refresh_from_db()
    assert article.headline != "新标题"


def test_a_chosen_person_that_is_not_a_number_is_a_form_error(editor):
    """The autocomplete box, shown again with the error, no longer looks the value up."""
    edition = EditionFactory()
    url = reverse("admin:articles_page_add")
    response = editor.post(
        url, {"edition": edition.pk, "number": "2", "name": "要闻", "editor": "abc"}
    )
    assert response.status_code == 200
    assert "editor" in response.context["adminform"].form.errors


def test_photographers_beyond_any_id_are_a_form_error(people):
    client = Client()
    client.force_login(people["photographer"])
    person = PersonFactory()
    response = client.post(
        reverse("admin:media_photo_upload"),
        {"images": [upload(picture_bytes("JPEG"))], "photographers": [str(person.pk), HUGE]},
    )
    assert response.status_code == 200
    assert "photographers" in response.context["form"].errors
    assert not Photo.objects.exists()


def test_there_is_no_merge_page_that_skips_the_write_path(editor):
    """taggit's merge works on its generic items, not the articles' tags: the page is gone."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:taggit_tag_merge_tags")
    editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "信访"})
    assert not Tag.objects.filter(name="信访").exists()


def test_an_impossible_date_in_an_address_is_not_found(client):
    EditionFactory(date=datetime.date(2022, 2, 14), status=Edition.Status.PUBLISHED)
    for path in ["/editions/2022-02-30/", "/editions/2022-13/", "/api/v1/editions/2022-02-30/"]:
        assert client.get(path).status_code == 404


def test_a_session_cookie_with_a_nul_byte_gets_the_400_page(client):
    """The session would be looked up with it (in the database, with DB-backed sessions)."""
    response = client.get(reverse("admin:index"), headers={"cookie": "sessionid=abcdefgh\x00ij"})
    assert is_our_400_page(response)
