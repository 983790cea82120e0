"""工作台: each role's start page, counts that link to the lists they count, at a fixed cost."""

import datetime

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services, workflow
from articles.models import Assignment, Edition, PageImport
from newsroom.models import JobState
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PhotoFactory,
    SectionFactory,
)
from tests.newsroom import client_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 28, 1, 0, tzinfo=datetime.UTC)  # 09:00 in the newsroom
# Queries of the whole start page (session, user, header, panels, app list), per role.
# The desk's panel asks three more for its failed background jobs.
QUERY_BUDGET = {"reporter": 11, "photographer": 10, "editor": 15, "chief": 21}


def board(client):
    """{panel key: {label: (count, url)}} of the 工作台, as the page shows it."""
    doc = lxml.html.fromstring(client.get(reverse("admin:index")).content.decode())
    panels = {}
    for section in doc.cssselect(".nr-panel"):
        key = next(c for c in section.get("class").split() if c.startswith("nr-panel--"))[10:]
        panels[key] = {
            a.cssselect(".nr-tally__label")[0].text_content(): (
                int(a.cssselect(".nr-tally__count")[0].text_content()),
                a.get("href"),
            )
            for a in section.cssselect("a.nr-tally")
        }
    return panels, doc


def rows(client, url):
    """The rows of the admin list a count links to."""
    doc = lxml.html.fromstring(client.get(url).content.decode())
    return doc.cssselect("#result_list tbody tr")


def test_the_reporters_counts_are_their_own_and_link_to_what_they_count(people):
    mine = people["reporter"]
    for status in ["draft", "draft", "returned", "submitted"]:
        ArticleFactory(status=status, created_by=mine)
    bylined = ArticleFactory(status="draft", created_by=people["editor"])
    BylineFactory(article=bylined, person=mine.person)
    ArticleFactory(status="draft", created_by=people["other_reporter"])
    client = client_for(mine)
    panels, _doc = board(client)
    assert set(panels) == {"filer"}
    counts = panels["filer"]
    assert counts["草稿"][0] == 3
    assert counts["退回给我"][0] == 1
    assert counts["已提交、待审"][0] == 1
    for label in ["草稿", "退回给我", "已提交、待审"]:
        count, url = counts[label]
        assert len(rows(client, url)) == count


def test_returned_copy_shows_the_desks_note(people):
    article = ArticleFactory(status="submitted", created_by=people["reporter"], headline="老街新生")
    workflow.transition(article, "return", user=people["editor"], note="请补充居民的说法。")
    _panels, doc = board(client_for(people["reporter"]))
    returned = doc.cssselect(".nr-panel--filer .nr-worklist li")[0]
    assert "老街新生" in returned.text_content()
    assert "请补充居民的说法。" in returned.text_content()


@time_machine.travel(NOW, tick=False)
def test_the_reporter_sees_assignments_with_their_deadlines(people):
    soon = NOW + datetime.timedelta(hours=9)
    for topic, deadline in [("地铁首日", soon), ("图书馆", NOW - datetime.timedelta(hours=1))]:
        assignment = services.save_assignment(
            Assignment(topic=topic, deadline=deadline), user=people["editor"]
        )
        assignment.reporters.add(people["reporter"].person)
        services.accept_assignment(assignment, user=people["editor"])
    client = client_for(people["reporter"])
    panels, doc = board(client)
    assert panels["filer"]["派给我的稿"][0] == 2
    assert panels["filer"]["已逾期"][0] == 1
    items = [li.text_content() for li in doc.cssselect(".nr-panel--filer .nr-worklist li")]
    assert "图书馆" in items[0] and "已逾期" in items[0]
    assert "地铁首日" in items[1] and "截稿 11-28 18:00" in items[1]
    assert len(rows(client, panels["filer"]["已逾期"][1])) == 1


def test_the_desk_sees_the_queue_by_section_and_review_level(people):
    front = SectionFactory(name="要闻", review_levels=3, position=0)
    city = SectionFactory(name="城市", review_levels=2, position=1)
    for section, level, n in [(front, 0, 2), (front, 1, 1), (city, 0, 1), (front, 2, 1)]:
        for _ in range(n):
            ArticleFactory(status="submitted", section=section, review_level=level)
    client = client_for(people["desk_head"])
    _panels, doc = board(client)
    table = doc.cssselect("table.nr-queue")[0]
    body = [
        [cell.text_content().strip() for cell in tr.cssselect("th, td")]
        for tr in table.cssselect("tbody tr")
    ]
    assert body == [["要闻", "2", "1", "1"], ["城市", "1", "0", "0"]]
    awaiting_second = table.cssselect("tbody tr")[0].cssselect("td a")[1].get("href")
    listed = rows(client, awaiting_second)
    assert len(listed) == 1 and "复审（2/3）" in listed[0].text_content()


def test_the_desk_sees_todays_pages_against_their_capacity(people):
    with time_machine.travel(NOW, tick=False):
        edition = EditionFactory(date=datetime.date(2026, 11, 28))
        full = PageFactory(edition=edition, number=1, name="要闻", capacity=10)
        PageFactory(edition=edition, number=2, name="综合", capacity=3000)
        ArticleFactory(status="approved", page=full, body="这是一段超过十个字的正文。")
        _panels, doc = board(client_for(people["editor"]))
    pages = doc.cssselect("table.nr-pages-fill tbody tr")
    assert [tr.get("class") for tr in pages] == ["nr-over", None]
    assert "第1版 要闻" in pages[0].text_content() and "超版" in pages[0].text_content()


def test_the_chief_sees_editions_being_planned_and_scheduled_ones(people):
    with time_machine.travel(NOW, tick=False):
        EditionFactory(date=datetime.date(2026, 11, 29))
        scheduled = EditionFactory(
            date=datetime.date(2026, 11, 28),
            status="signed_off",
            scheduled_at=NOW + datetime.timedelta(hours=12),
        )
        client = client_for(people["chief"])
        panels, doc = board(client)
    assert set(panels) == {"desk", "chief"}
    # An edition being planned is counted as such: it is not ready to sign off yet.
    assert panels["chief"]["编排中的期次"][0] == 1
    assert "待签发的期次" not in panels["chief"]
    assert panels["chief"]["已签发、未发布"][0] == 1
    assert str(scheduled.date.day) in doc.cssselect(".nr-panel--chief")[0].text_content()


def test_the_photographer_sees_photos_to_describe_and_pictures_asked_for(people):
    PhotoFactory(caption="")
    PhotoFactory()
    assignment = services.save_assignment(
        Assignment(topic="湿地白鹭", photographer=people["photographer"].person),
        user=people["editor"],
    )
    assignment.reporters.add(people["reporter"].person)
    services.accept_assignment(assignment, user=people["editor"])
    client = client_for(people["photographer"])
    panels, doc = board(client)
    assert set(panels) == {"photographer"}
    assert panels["photographer"]["缺图片说明"][0] == 1
    assert panels["photographer"]["缺摄影署名"][0] == 2
    assert panels["photographer"]["约我拍图的稿件"][0] == 1
    assert len(rows(client, panels["photographer"]["缺图片说明"][1])) == 1
    assert "湿地白鹭" in doc.cssselect(".nr-panel--photographer")[0].text_content()


def failed_work(edition, i):
    """A page PDF, a page import and a scheduled publication that failed."""
    PageFactory(
        edition=edition, pdf_job=JobState.FAILED, pdf_job_error="此文件有 2 页", pdf_job_at=NOW
    )
    PageImport.objects.create(
        text="…",
        date=datetime.date(2026, 11, 28),
        number=20 + i,
        state=JobState.FAILED,
        error="版面导入失败",
        finished_at=NOW,
    )
    EditionFactory(
        status=Edition.Status.SIGNED_OFF,
        scheduled_at=NOW - datetime.timedelta(hours=i + 1),
        publish_error="本期无法发布：稿件尚未通过审核。",
    )


@time_machine.travel(NOW, tick=False)
def test_the_desk_sees_its_failed_background_work_and_filers_do_not(people):
    edition = EditionFactory(date=datetime.date(2026, 11, 28))
    failed_work(edition, 0)
    page = client_for(people["editor"]).get(reverse("admin:index")).content.decode()
    doc = lxml.html.fromstring(page)
    [listed] = doc.cssselect(".nr-failed-jobs")
    text = listed.text_content()
    assert "版面PDF" in text and "此文件有 2 页" in text
    assert "版面导入失败" in text and "未能按时发布" not in text
    assert "本期无法发布：稿件尚未通过审核。" in text
    links = [a.get("href") for a in listed.cssselect("a")]
    assert len(links) == 3 and any("/planner/" in link for link in links)
    reporter = client_for(people["reporter"]).get(reverse("admin:index")).content.decode()
    assert "nr-failed-jobs" not in reporter


@pytest.mark.parametrize("role", ["reporter", "photographer", "editor", "chief"])
@time_machine.travel(NOW, tick=False)
def test_the_workbench_costs_the_same_queries_however_busy_the_newsroom(people, role):
    client = client_for(people[role])
    section = SectionFactory(review_levels=3)
    page = PageFactory(edition=EditionFactory(date=datetime.date(2026, 11, 28)), capacity=1000)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    def busy(n):
        PageFactory(edition=page.edition, capacity=500)
        for i in range(n):
            mine = ArticleFactory(status="returned", created_by=people["reporter"])
            workflow.transition(mine, "resubmit", user=people["reporter"])
            workflow.transition(mine, "return", user=people["editor"], note=f"第{i}次")
            ArticleFactory(status="submitted", section=section, review_level=i % 3)
            ArticleFactory(status="approved", page=page)
            PhotoFactory(caption="")
            assignment = services.save_assignment(
                Assignment(topic=f"选题{i}", photographer=people["photographer"].person),
                user=people["editor"],
            )
            assignment.reporters.add(people["reporter"].person)
            services.accept_assignment(assignment, user=people["editor"])
            failed_work(page.edition, i)

    busy(1)
    few = queries()
    busy(8)
    assert queries() == few
    assert few <= QUERY_BUDGET[role]


def test_the_desk_queue_shows_the_level_each_piece_awaits_at_a_fixed_cost(people):
    editor = client_for(people["editor"])
    section = SectionFactory(review_levels=3)

    def queue():
        with CaptureQueriesContext(connection) as captured:
            response = editor.get(reverse("admin:articles_deskqueue_changelist"))
        return response.content.decode(), len(captured)

    BylineFactory(article=ArticleFactory(status="submitted", section=section, review_level=1))
    content, one = queue()
    assert "复审（2/3）" in content
    for level in [0, 1, 2] * 5:
        article = ArticleFactory(status="submitted", section=section, review_level=level)
        BylineFactory(article=article)
    content, many = queue()
    assert many == one
    assert content.count("终审（3/3）") == 5
