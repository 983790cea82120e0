"""Page PDFs that ask too much: refused on the form with a reason, or failed as a job within its caps.

The files are those that took workers down (issue 25), written byte by byte
(tests/epaper/hostile.py). Whatever reads them runs in a child process under
a memory and a time cap (articles/epaper/isolation.py): this process, the
web or worker process that asked, never parses them.
"""

import io
import json
import os
import subprocess
import sys

import lxml.html
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.epaper import isolation, pages
from articles.epaper.render import Limits
from articles.models import Page
from newsroom.models import JobState
from tests.jobs import queued, run_jobs
from tests.newsroom import client_for

from . import hostile
from .composing import demo_page
from .test_render import two_page_pdf

pytestmark = pytest.mark.django_db


def form_values(client, url):
    """What the page's form submits as it stands, as a browser would."""
    doc = lxml.html.fromstring(client.get(url).content.decode())
    form = next(f for f in doc.forms if f.get("id", "").endswith("_form"))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


REFUSED_ON_THE_FORM = {
    "a 50 × 5,000 pt strip": (hostile.strip_page, "页面尺寸为 50 × 5000 点"),
    "a 20,000 pt square": (hostile.huge_page, "20000 × 20000 点"),
    "a page tree in a 400 MB object stream": (
        hostile.page_tree_in_object_stream,
        "需要超过 320 MB 内存",
    ),
    # 300 MB of drawing operators deflated to 600 KB: over the memory cap once parsed.
    "a 300 MB content stream": (hostile.inflating_contents, "需要超过 320 MB 内存"),
    "150,000 text runs": (hostile.text_runs, "页面含有 150000 个绘图对象"),
    "two pages": (two_page_pdf, "此文件有 2 页"),
    "not a PDF": (lambda: b"<script>alert(1)</script>", "不是PDF"),
}


@pytest.mark.parametrize("case", REFUSED_ON_THE_FORM, ids=str)
def test_the_page_form_says_why_a_pdf_is_refused_and_stores_nothing(planned_page, people, case):
    make, reason = REFUSED_ON_THE_FORM[case]
    client = client_for(people["editor"])
    url = reverse("admin:articles_page_change", args=[planned_page.pk])
    data = form_values(client, url)
    data["upload"] = SimpleUploadedFile("page.pdf", make(), content_type="application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["upload"]
    assert reason in error
    page = Page.objects.get(pk=planned_page.pk)
    assert not page.pdf and not page.pdf_pending and page.pdf_job == ""
    assert not queued()


def test_a_page_pdf_uploaded_on_the_form_is_drawn_by_its_job_and_the_form_shows_how_far(
    planned_page, people
):
    client = client_for(people["editor"])
    url = reverse("admin:articles_page_change", args=[planned_page.pk])
    data = form_values(client, url)
    data["upload"] = SimpleUploadedFile("page.pdf", demo_page(1)[1], content_type="application/pdf")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    shown = response.content.decode()
    assert "正在处理 PDF…" in shown and "等待后台处理" in shown
    page = Page.objects.get(pk=planned_page.pk)
    assert (
        page.pdf_job == JobState.WAITING and not page.has_facsimile
    )  # nothing drawn in the request
    status = reverse("admin:articles_page_pdf_job", args=[page.pk])
    assert client.get(status).json() == {"state": "waiting", "progress": 0, "error": ""}
    assert run_jobs() == 1
    assert client.get(status).json()["state"] == "done"
    shown = client.get(url).content.decode()
    assert "正在处理 PDF…" not in shown and "nr-facsimile" in shown
    page = Page.objects.get(pk=planned_page.pk)
    assert page.has_facsimile and page.pdf_job == JobState.DONE and page.zones.count() == 4


def test_a_failed_page_pdf_shows_its_reason_and_the_desk_may_retry_it(planned_page, people):
    page = pages.submit_pdf(planned_page, hostile.many_characters(), user=people["editor"])
    run_jobs()
    editor = client_for(people["editor"])
    url = reverse("admin:articles_page_change", args=[page.pk])
    shown = editor.get(url).content.decode()
    assert "处理 PDF 失败：页面含有 151998 个字符" in shown and ">重试</button>" in shown
    retry = reverse("admin:articles_page_retry_pdf", args=[page.pk])
    # Nobody outside the desk retries (the admin turns them away), and a GET changes nothing.
    client_for(people["reporter"]).post(retry)
    editor.get(retry)
    assert Page.objects.get(pk=page.pk).pdf_job == JobState.FAILED and not queued()
    response = editor.post(retry, follow=True)
    assert "正在重新处理 PDF。" in response.content.decode()
    assert Page.objects.get(pk=page.pk).pdf_job == JobState.WAITING and len(queued()) == 1


def test_the_form_says_what_active_content_the_job_takes_out(planned_page, people):
    client = client_for(people["editor"])
    url = reverse("admin:articles_page_change", args=[planned_page.pk])
    data = form_values(client, url)
    data["upload"] = SimpleUploadedFile(
        "page.pdf", hostile.with_active_content(), content_type="application/pdf"
    )
    shown = client.post(url, data, follow=True).content.decode()
    assert "PDF 中的活动内容在保存前移除：AA, JavaScript, Launch, OpenAction。" in shown
    run_jobs()
    assert "AA, JavaScript, Launch, OpenAction" in client.get(url).content.decode()


def test_a_pdf_that_passes_the_form_but_asks_too_much_fails_its_job_with_the_reason(
    planned_page, people
):
    # One text run of 150,000 characters: one object, but more text than a page holds.
    page = pages.submit_pdf(planned_page, hostile.many_characters(), user=people["editor"])
    assert run_jobs() == 1
    page.refresh_from_db()
    assert page.pdf_job == JobState.FAILED and page.pdf_job_progress == 0
    assert page.pdf_job_error.startswith("页面含有 151998 个字符")
    assert not page.pdf and page.facsimile == {} and not page.zones.exists()


def test_a_child_that_runs_past_its_time_cap_is_stopped_and_says_so(tmp_path, settings):
    """The cap itself, whatever the machine's speed: the child waits for a file that never comes."""
    limits = Limits.from_settings()
    request = {"operation": "inspect", "limits": limits.as_json(), "seconds": 1, "copies": []}
    (tmp_path / "request.json").write_text(json.dumps(request))
    os.mkfifo(tmp_path / "input.pdf")  # opened for reading, it blocks until a writer comes
    child = subprocess.Popen(
        [sys.executable, "-m", "articles.epaper.isolation", str(tmp_path)], cwd=isolation.ROOT
    )
    try:
        returncode = child.wait(timeout=120)
    finally:
        child.kill()
    refusal = isolation._stopped(returncode, 1, limits, b"")
    assert refusal.code == "time"
    assert str(refusal) == "此PDF无法在 1 秒内读取和绘制完成。"


def test_active_content_is_taken_out_before_the_pdf_is_kept(planned_page, people):
    result = pages.attach_pdf(planned_page, hostile.with_active_content(), user=people["editor"])
    assert result.removed == ["/AA", "/JavaScript", "/Launch", "/OpenAction"]
    page = Page.objects.get(pk=planned_page.pk)
    assert page.has_facsimile
    with page.pdf.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as kept:
        assert "/OpenAction" not in kept.Root and "/JavaScript" not in kept.Root.Names
        [printed] = kept.pages
        assert "/AA" not in printed.obj
        actions = [str(link.A.S) for link in printed.obj.Annots if "/A" in link]
        assert actions == ["/URI"]  # the web link stays; the launch is gone
    assert isolation.strip_active_content(demo_page(1)[1]) == (demo_page(1)[1], [])
