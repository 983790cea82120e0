"""A page's text is bounded: over the cap it is refused before it is read, in Chinese.

How fast the parser reads is measured by `parse_report --speed` (README), not here:
no test depends on the machine's speed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.importer.parse import PageFormatError, max_page_bytes, parse_page
from articles.importer.report import speed_pages
from articles.models import Article
from tests.newsroom import client_for

PAGE = "新闻标题\n\n本报讯（记者 林晓）第一段正文。\n\n"


def test_the_cap_is_a_setting(settings):
    settings.IMPORTER_PAGE_MAX_BYTES = 4096
    assert max_page_bytes() == 4096


def test_a_page_over_the_cap_is_refused_with_its_size_in_chinese(settings):
    settings.IMPORTER_PAGE_MAX_BYTES = 4096
    text = PAGE * 200
    with pytest.raises(PageFormatError, match=r"^页面文字有 \d+ KB，一个版面最多 4 KB"):
        parse_page(text)


def test_a_page_at_the_cap_is_read(settings):
    text = PAGE * 3
    settings.IMPORTER_PAGE_MAX_BYTES = len(text.encode())
    assert len(parse_page(text).items) == 3


@pytest.mark.django_db
def test_the_command_refuses_an_oversized_file_and_writes_nothing(settings, tmp_path, people):
    settings.IMPORTER_PAGE_MAX_BYTES = 4096
    path = tmp_path / "big.txt"
    path.write_text(PAGE * 200, encoding="utf-8")
    with pytest.raises(CommandError, match="一个版面最多 4 KB"):
        call_command(
            "import_page", str(path), "--date", "2026-03-01", "--page", "3", "--by", "editor"
        )
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_admin_form_refuses_an_oversized_upload_in_chinese(settings, people):
    settings.IMPORTER_PAGE_MAX_BYTES = 4096
    upload = SimpleUploadedFile("page.txt", (PAGE * 200).encode(), content_type="text/plain")
    response = client_for(people["editor"]).post(
        reverse("admin:articles_page_import"),
        {"date": "2026-03-01", "number": "3", "file": upload, "confirm": "1"},
    )
    assert response.status_code == 200
    assert "版面文字最多 4 KB" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_text_carried_to_the_confirmation_is_held_to_the_cap_too(settings, people):
    settings.IMPORTER_PAGE_MAX_BYTES = 4096
    response = client_for(people["editor"]).post(
        reverse("admin:articles_page_import"),
        {"date": "2026-03-01", "number": "3", "text": PAGE * 200, "confirm": "1"},
    )
    assert response.status_code == 200
    assert "一个版面最多 4 KB" in response.content.decode()
    assert not Article.objects.exists()


def test_the_speed_pages_are_pages_the_parser_reads():
    for name, text in speed_pages(20_000):
        result = parse_page(text)
        assert result.items, name
        assert len(text.encode()) >= 20_000
