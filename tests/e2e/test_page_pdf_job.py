"""A page PDF in a real browser: uploaded, drawn by its job while the form shows how far, then
its zones; a PDF that fails says why, and 重试 sends it back to the queue.

The live server runs no task worker: the test runs the jobs itself, as the
worker beside the server would, while the form keeps asking (page-pdf-job.js).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.epaper import hostile
from tests.epaper.composing import demo_page
from tests.factories import ArticleFactory, EditionFactory, PageFactory
from tests.jobs import run_jobs

from .ui import expect_message, log_in


def planned_page(people):
    """Tomorrow's 第1版, carrying the copy the demo's first page prints."""
    edition = EditionFactory(date=timezone.localdate() + datetime.timedelta(days=1), number=6400)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=people["editor"].person)
    items, pdf = demo_page(1)
    for position, item in enumerate(items, start=1):
        ArticleFactory(
            headline=item.headline or "图片新闻",
            kind="photo" if item.kind == "photo" else "news",
            body="\n\n".join(item.paragraphs),
            status="approved",
            page=page,
            position=position,
        )
    return page, pdf


def upload(browser, name, data):
    browser.locator("#id_upload").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )
    browser.get_by_role("button", name="保存", exact=True).click()


@pytest.mark.django_db(transaction=True)
def test_a_page_pdf_shows_its_progress_then_its_zones_or_why_it_failed_and_a_retry(
    live_server, people, open_browser
):
    page, pdf = planned_page(people)
    browser = open_browser()
    log_in(browser, live_server, "editor", "苏文")
    browser.goto(f"{live_server.url}/admin/articles/page/{page.pk}/change/")
    upload(browser, "page.pdf", pdf)
    job = browser.locator(".nr-pdf-job")
    expect(job).to_contain_text("正在处理 PDF…")
    expect(job).to_contain_text("等待后台处理")
    assert run_jobs() == 1
    # The form has asked, and reloaded itself into the facsimile and its zones.
    expect(browser.locator(".nr-facsimile")).to_be_visible(timeout=15_000)
    expect(browser.locator(".nr-facsimile__list li")).to_have_count(4)
    expect(browser.locator(".nr-pdf-job progress")).to_have_count(0)

    upload(browser, "page.pdf", hostile.many_characters())
    expect(job).to_contain_text("正在处理 PDF…")
    assert run_jobs() == 1
    expect(job.locator(".errornote")).to_contain_text("处理 PDF 失败：页面含有 151998 个字符")
    # The page kept its previous PDF meanwhile.
    expect(browser.locator(".nr-facsimile__list li")).to_have_count(4)
    job.get_by_role("button", name="重试").click()
    expect_message(browser, "正在重新处理 PDF。")
    expect(browser.locator(".nr-pdf-job")).to_contain_text("正在处理 PDF…")
