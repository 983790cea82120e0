"""审校 in the admin: the live check, the hits on the article's page, verifying, importing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import WordVerification
from tests.factories import ArticleFactory, BylineFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHECK = "admin:articles_wordlist_check"


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def check(client, texts):
    return client.post(
        reverse(CHECK), json.dumps({"texts": texts}), content_type="application/json"
    )


def test_the_live_check_answers_each_field_with_its_hits_and_offsets_as_typed(people, sample_list):
    body = "𠀀请及时按\n装。"  # a character outside the BMP counts two in the browser
    response = check(client_of(people["reporter"]), {"id_body": body, "id_headline": "无事"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    hits = response.json()["hits"]
    assert hits["id_headline"] == []
    (hit,) = hits["id_body"]
    assert (hit["found"], hit["word"], hit["severity"], hit["replacement"]) == (
        "按\n装",
        "按装",
        "fix",
        "安装",
    )
    assert (
        body.encode("utf-16-le")[hit["start"] * 2 : hit["end"] * 2].decode("utf-16-le") == "按\n装"
    )
    assert hit["note"] == "“安装”的“安”不作“按”"


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "editor", "chief"])
def test_whoever_files_or_works_copy_has_it_checked(people, sample_list, role):
    assert check(client_of(people[role]), {"t": "根治"}).status_code == 200


def test_nobody_else_gets_an_answer(people, sample_list, client):
    assert check(client_of(people["nobody"]), {"t": "根治"}).status_code == 403
    assert check(client, {"t": "根治"}).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"texts": ["a"]}',
        b'{"texts": {"a": 1}}',
        json.dumps({"texts": {"a": "字" * 200_001}}).encode(),
    ],
)
def test_a_bad_check_request_is_answered_400(people, sample_list, body):
    response = client_of(people["reporter"]).post(
        reverse(CHECK), body, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_live_check_is_a_post(people, sample_list):
    assert client_of(people["reporter"]).get(reverse(CHECK)).status_code == 405


def submitted_with(people, body):
    article = ArticleFactory(
        status="submitted", body=body, section=SectionFactory(), created_by=people["reporter"]
    )
    BylineFactory(article=article, person=people["reporter"].person)
    return article


def page_of(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_the_reviewer_sees_the_hits_and_the_chief_may_verify_a_block(people, sample_list):
    article = submitted_with(people, "本品可根治失眠，效果最佳。")
    editor = page_of(client_of(people["editor"]), article)
    assert 'class="nr-hit nr-hit--block">根治</mark>' in editor
    assert "广告法：不得保证疗效" in editor
    # The editor verifies the warning, not the block; the chief both.
    assert editor.count('name="reason"') == 1
    assert page_of(client_of(people["chief"]), article).count('name="reason"') == 2
    # The filer sees the hits, and verifies nothing.
    reporter = page_of(client_of(people["reporter"]), article)
    assert "根治" in reporter and 'name="reason"' not in reporter


def test_verifying_from_the_page_records_who_when_why_and_the_word(people, sample_list):
    article = submitted_with(people, "本品可根治失眠。")
    url = reverse("admin:articles_wordverification_verify", args=[article.pk])
    response = client_of(people["editor"]).post(url, {"key": "根治", "reason": "原话"})
    assert response.status_code == 302 and not WordVerification.objects.exists()
    client_of(people["chief"]).post(url, {"key": "根治", "reason": "引用患者原话。"})
    row = WordVerification.objects.get()
    assert (row.word, row.reason, row.verified_by) == ("根治", "引用患者原话。", people["chief"])
    page = page_of(client_of(people["editor"]), article)
    assert "引用患者原话。" in page
    log = client_of(people["editor"]).get(reverse("admin:articles_wordverification_changelist"))
    assert "引用患者原话。" in log.content.decode()


def test_submitting_tells_the_filer_what_the_lists_found(people, sample_list):
    article = ArticleFactory(status="draft", body="本品可根治失眠。", created_by=people["reporter"])
    BylineFactory(article=article, person=people["reporter"].person)
    client = client_of(people["reporter"])
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"_workflow": "submit"},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "根治" in text


def test_a_list_is_imported_from_a_file_and_a_bad_file_imports_nothing(people, sample_list):
    client = client_of(people["desk_head"])
    url = reverse("admin:articles_wordlist_import", args=[sample_list.pk])
    bad = SimpleUploadedFile("list.txt", "最优\t胡写\n".encode())
    response = client.post(url, {"file": bad, "category": "caution", "severity": "warn"})
    assert response.status_code == 200 and sample_list.entries.count() == 3
    assert "胡写" in response.content.decode()
    good = SimpleUploadedFile("list.txt", "最优\n顶级\t广告法用语\t提示\n".encode())
    response = client.post(url, {"file": good, "category": "advertising", "severity": "warn"})
    assert response.status_code == 302 and sample_list.entries.count() == 5


def test_a_list_is_exported_as_text_and_excel(people, sample_list):
    client = client_of(people["editor"])
    url = reverse("admin:articles_wordlist_export", args=[sample_list.pk])
    text = client.get(url, {"format": "txt"})
    assert text.status_code == 200 and "按装\t" in text.content.decode()
    sheet = client.get(url, {"format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_of(people["reporter"]).get(url).status_code == 403
