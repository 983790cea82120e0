"""审校 and 稿费 in a real browser: a word caught as it is typed, a page held until it is cleared,
a month counted, adjusted, locked and handed to finance as an Excel file.

The reporter types a blocking word and sees it highlighted, and fixes a
misspelling with one click. A story approved before 根治 joined the list is
on tomorrow's front page: the chief editor cannot sign the page off until
the word is verified (已核实) by someone allowed to; the desk head is not.
Once it is, the edition is signed off and published. The desk head computes
the month's fees, opens the statistics with their chart and adjusts a line;
the chief editor locks the month and downloads the Excel file, which opens
with the totals worked out by hand.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from articles import services
from articles.models import FeeRules, WordList
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    SectionFactory,
)
from tests.jobs import run_jobs

from .ui import expect_message, log_in, write

HEADLINE = "江南社区开办健康讲座"
# 9 + 991 = 1,000 字: news at 80 yuan per 千字 is 80.00, ×1.5 (头版) ×1.2 (头条) = 144.00,
# shared by two bylines: 72.00 each.
BODY = "专家说这不能根治。" + "讲" * 991
REASON = "引用专家原话，意思是“不能根治”，不是广告。"


def newsroom(people):
    """The rules, the word lists and tomorrow's front page, as the chief and the desk left them."""
    chief = people["chief"]
    rate = services.FeeRate
    services.save_fee_rules(
        FeeRules.objects.first() or FeeRules(),
        user=chief,
        rates=[
            rate("news", Decimal("80.00"), Decimal("30.00")),
            rate("feature", Decimal("100.00"), Decimal("50.00")),
        ],
    )
    city = SectionFactory(name="城市", slug="chengshi")
    city.desk_heads.add(people["desk_head"].person)
    edition = EditionFactory(date=timezone.localdate() + datetime.timedelta(days=1), number=6300)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=people["editor"].person)
    # Approved the day before 根治 joined the list.
    story = ArticleFactory(
        headline=HEADLINE, body=BODY, section=city, status="approved", page=page, position=1
    )
    BylineFactory(article=story, person=people["reporter"].person, role="reporter")
    BylineFactory(article=story, person=people["correspondent"].person, role="correspondent")
    words = services.save_word_list(WordList(name="广告法用语"), user=chief)
    services.import_word_entries(
        words,
        [
            services.WordRow("根治", "advertising", "block", "", "广告法：不得保证疗效"),
            services.WordRow("按装", "typo", "fix", "安装", "“安装”的“安”不作“按”"),
        ],
        user=chief,
    )
    return edition, story


def reporter_types_a_blocking_word(page, live_server):
    log_in(page, live_server, "reporter", "林晓")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    write(page.get_by_label("主标题"), "社区讲座受欢迎")
    body = page.get_by_label("正文")
    write(body, "有人宣传保健品能根\n治失眠，请大家按装防骗软件。")
    hits = page.locator("#id_body-wordcheck")
    block = hits.locator("mark.nr-hit--block")
    expect(block).to_have_text(re.compile(r"^根\s治$"))
    expect(block).to_be_visible()
    expect(hits).to_contain_text("广告法：不得保证疗效")
    hits.get_by_role("button", name="改为“安装”").click()
    expect(body).to_have_value("有人宣传保健品能根\n治失眠，请大家安装防骗软件。")
    expect(hits.locator("mark.nr-hit--fix")).to_have_count(0)
    expect(block).to_be_visible()


def planner(page, live_server, edition):
    page.goto(f"{live_server.url}/admin/articles/edition/{edition.pk}/planner/")


def chief_cannot_sign_off(page, live_server, edition):
    log_in(page, live_server, "chief", "高远")
    planner(page, live_server, edition)
    expect(page.locator("#content")).to_contain_text("第1版")
    expect(page.locator("#content")).to_contain_text("根治")
    page.get_by_role("button", name="签发").click()
    expect(page.locator("ul.messagelist .error")).to_contain_text("根治")
    expect(page.locator(".nr-planner__head")).not_to_contain_text("已签发")


def open_story(page, live_server, story):
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return page.locator("#nr-wordcheck")


def desk_head_may_not_verify_a_block(page, live_server, story):
    log_in(page, live_server, "deskhead", "何静")
    panel = open_story(page, live_server, story)
    expect(panel.locator("mark.nr-hit--block")).to_have_text("根治")
    expect(panel.locator("input[name=reason]")).to_have_count(0)


def chief_verifies_then_signs_off_and_publishes(page, live_server, edition, story):
    panel = open_story(page, live_server, story)
    write(panel.get_by_label("保留“根治”的理由"), REASON)
    panel.get_by_role("button", name="标记为已核实").click()
    expect_message(page, "“根治”已核实，理由已记录。")
    expect(page.locator("#nr-wordcheck table")).to_contain_text(REASON)
    planner(page, live_server, edition)
    page.get_by_role("button", name="签发").click()
    expect(page.locator("ul.messagelist .success")).to_contain_text("已签发")
    page.get_by_role("button", name="立即发布").click()
    expect(page.locator("ul.messagelist .success")).to_contain_text("正在发布")
    # What the task worker does beside the server (the live server runs none).
    assert run_jobs() >= 1
    page.reload()
    expect(page.locator(".nr-planner__head")).to_contain_text("已发布")


def desk_head_counts_and_adjusts(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="稿费（按月）").first.click()
    page.get_by_role("button", name="计算当月稿费").click()
    expect(page.locator("ul.messagelist .success")).to_contain_text("共2条")
    month_url = page.url
    lines = page.locator("table.nr-fees__lines")
    expect(lines.locator("tr", has_text="林晓")).to_contain_text("72.00")
    expect(lines.locator("tr", has_text="周敏")).to_contain_text("72.00")

    page.get_by_role("link", name="稿费（按月）").first.click()
    page.get_by_role("link", name="发稿统计").first.click()
    chart = page.locator("svg#nr-chart-people")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("林晓")
    people = page.locator("#nr-stats-people")
    expect(people.locator("tr", has_text="林晓")).to_contain_text("1000")
    expect(page.locator("svg#nr-chart-sections")).to_contain_text("城市")

    page.goto(month_url)
    row = page.locator("table.nr-fees__lines tr", has_text="林晓")
    row.locator("summary", has_text="调整").click()
    write(row.get_by_label("调整金额（元）"), "20.00")
    write(row.get_by_label("理由"), "独家采访")
    row.get_by_role("button", name="保存调整").click()
    expect_message(page, "已调整林晓")
    row = page.locator("table.nr-fees__lines tr", has_text="林晓")
    expect(row).to_contain_text("92.00")
    expect(row).to_contain_text("独家采访")
    expect(page.locator("#nr-fees-total")).to_have_text("164.00")
    expect(page.get_by_role("button", name="审批并锁定当月稿费")).to_have_count(0)
    return month_url


def chief_locks_and_downloads(page, month_url):
    page.goto(month_url)
    page.get_by_role("button", name="审批并锁定当月稿费").click()
    expect(page.locator("ul.messagelist .success")).to_contain_text("已审批并锁定")
    expect(page.locator("input[name=reason]")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel").click()
    data = download.value.path().read_bytes()
    book = load_workbook(io.BytesIO(data))
    rows = list(book["稿费明细"].iter_rows(values_only=True))
    assert rows[1] == ("姓名", "单位", "稿件", "日期", "版次", "字数", "金额", "备注")
    body = {row[0]: row for row in rows[2:-1]}
    assert set(body) == {"林晓", "周敏"}
    assert Decimal(str(body["林晓"][6])) == Decimal("92.00")
    assert "独家采访" in body["林晓"][7] and "头版" in body["林晓"][7]
    assert (body["周敏"][2], body["周敏"][4], body["周敏"][5]) == (HEADLINE, "第1版", 1000)
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][6])) == Decimal("164.00")
    summary = {row[0]: row for row in book["按人汇总"].iter_rows(values_only=True)}
    assert Decimal(str(summary["合计"][4])) == Decimal("164.00")


@pytest.mark.django_db(transaction=True)
def test_a_blocking_word_holds_the_page_and_the_month_is_paid(live_server, people, open_browser):
    edition, story = newsroom(people)
    reporter_types_a_blocking_word(open_browser(), live_server)
    chief = open_browser()
    chief_cannot_sign_off(chief, live_server, edition)
    desk_head = open_browser()
    desk_head_may_not_verify_a_block(desk_head, live_server, story)
    chief_verifies_then_signs_off_and_publishes(chief, live_server, edition, story)
    month_url = desk_head_counts_and_adjusts(desk_head, live_server)
    chief_locks_and_downloads(chief, month_url)
    assert re.search(r"/admin/articles/feemonth/\d+/$", month_url)
