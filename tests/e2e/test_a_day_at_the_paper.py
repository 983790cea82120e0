"""A day at the paper with 三审, in a real browser: from the proposal to the reader.

The reporter proposes a story, the desk assigns it, the reporter files it with
a photo from the article's own form on a phone; 初审 returns it with a 批注,
the reporter replies and resubmits; 初审, 复审 and 终审 pass it, each by its
own person; the editor places it against the page's capacity; the chief
editor signs the edition off and publishes it; a reader finds the story. Each
person starts from their 工作台 and is told by a notification. Every step
checks what the person sees; the clicks and page loads of each task are
counted and printed (fewer than before: filing took about 18 clicks over 6
page loads, photos 17 over 9). axe-core checks the admin's new pages and the
reader's pages, the Nu HTML checker their HTML as served. Screenshots go to
artifacts/e2e/.
"""

import datetime
import re

import feedparser
import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles.copy.bodytext import count_chars, normalize_body
from tests.factories import SectionFactory
from tests.jobs import run_jobs

from .checkers import DJANGO_ADMIN, Accessibility, describe_vnu, run_vnu
from .ui import (
    Tally,
    attach,
    expect_message,
    log_in,
    pick,
    served_html,
    type_new_tag,
    write,
)

TOPIC = "地铁二号线试运营首日"
HEADLINE = "滨江地铁二号线开通试运营"
SUBHEADLINE = "全线设站十八座 高峰时段三分钟一班"
# Pasted as the layout left it: the first paragraph is broken mid-sentence.
BODY = (
    "11月28日上午，滨江地铁二号线正式开通试运营，全线设站十八座，\n"
    "贯通城市南北。\n"
    "市民王女士说：“以后上班只要二十分钟。”\n"
)
FIRST_PARAGRAPH = "11月28日上午，滨江地铁二号线正式开通试运营，全线设站十八座，贯通城市南北。"
FIX = "试运营期间，单程票价二元起。"
COMMENT = "票价是多少？读者最关心。"
REPLY = "已补上，见最后一段。"
RETURN_NOTE = "请补充票价，见批注。"
CAPTION = "11月28日，乘客在滨江地铁二号线江南站候车。"
ALT_TEXT = "站台上候车的乘客和进站的地铁列车"
CAPACITY = 1200
# The measurements of the same tasks before (clicks, page loads).
BEFORE = {"filing the story": (18, 6), "a photo on the story": (17, 9)}


class Day:
    """The day's screenshots, numbered in the order they were taken, and its served HTML."""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.count = 0
        self.html = artifacts / "html"
        self.html.mkdir(exist_ok=True)
        self.admin_pages = []

    def shot(self, page, name):
        self.count += 1
        page.screenshot(path=self.artifacts / f"{self.count:02d}-{name}.png", full_page=True)

    def keep_html(self, page, name):
        """Keep the page as served, for the Nu HTML checker."""
        self.admin_pages.append(served_html(page, page.url, self.html / f"admin-{name}.html"))


def long_date(date):
    """A date as the Chinese interface prints it: 2026年11月30日."""
    return f"{date.year}年{date.month}月{date.day}日"


def news_photo(path):
    """A JPEG as a phone camera would deliver it: a platform, a train, people."""
    image = Image.new("RGB", (1200, 800), (196, 206, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=(120, 120, 128))
    draw.rectangle((80, 260, 1120, 520), fill=(30, 110, 180))
    for x in range(120, 1100, 160):
        draw.rectangle((x, 300, x + 110, 380), fill=(220, 235, 245))
    for x in range(150, 1100, 120):
        draw.ellipse((x, 560, x + 40, 600), fill=(60, 40, 30))
        draw.rectangle((x + 5, 600, x + 35, 700), fill=(90, 60, 40))
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def day(artifacts):
    return Day(artifacts)


@pytest.fixture
def accessibility(artifacts):
    return Accessibility(artifacts)


@pytest.fixture
def tally():
    return Tally()


def unread(page):
    """The count of unread notifications in the header (0 when there is none)."""
    count = page.locator("#user-tools .nr-count")
    return int(count.inner_text()) if count.count() else 0


def workbench_count(page, label):
    """The 工作台's count with label, as a number."""
    tally = page.locator("a.nr-tally", has=page.locator(".nr-tally__label", has_text=label))
    return int(tally.locator(".nr-tally__count").inner_text())


def open_notification(page, text):
    """Open the header's notifications and the one that says text."""
    page.locator("#user-tools").get_by_role("link", name=re.compile("^通知")).click()
    page.locator("#result_list").get_by_role("link", name=text).click()


# --- the people of the day --------------------------------------------------------------


def reporter_proposes(page, live_server, day, accessibility, tally):
    """报题: the reporter proposes a story from the 工作台."""
    log_in(page, live_server, "reporter", "林晓")
    accessibility.check(page, "admin-workbench-reporter-phone", DJANGO_ADMIN)
    day.keep_html(page, "workbench-reporter")
    with tally.task("proposing a story (报题)", page):
        page.get_by_role("link", name="报题", exact=True).click()
        expect(page.get_by_role("heading", name="新建选题")).to_be_visible()
        write(page.get_by_label("选题", exact=False).first, TOPIC)
        write(page.get_by_label("说明"), "试运营首日客流、票价和市民感受。")
        pick(page, "id_section", "城市")
        # The reporter proposes a story they will write themselves.
        expect(page.locator("#id_reporters + .select2")).to_contain_text("林晓")
        accessibility.check(page, "admin-assignment-proposal", DJANGO_ADMIN)
        day.keep_html(page, "assignment-proposal")
        day.shot(page, "reporter-proposes")
        page.get_by_role("button", name="保存", exact=True).click()
        expect_message(page, f"选题“{TOPIC}”已新建。")


def editor_plans_tomorrow(page, live_server, day, tomorrow):
    """The editor plans tomorrow's edition: page 1 要闻, its editor and its capacity."""
    log_in(page, live_server, "editor", "苏文")
    page.goto(f"{live_server.url}/admin/articles/edition/add/")
    page.get_by_label("日期").fill(tomorrow.isoformat())
    page.get_by_label("期号").fill("6126")
    page.get_by_role("button", name="添加版面").click()
    page.locator("#id_pages-0-number").fill("1")
    page.locator("#id_pages-0-name").fill("要闻")
    pick(page, "id_pages-0-editor", "苏文")
    page.locator("#id_pages-0-capacity").fill(str(CAPACITY))
    page.get_by_role("button", name="保存并继续编辑").click()
    expect_message(page, f"期次“{long_date(tomorrow)} 第6126期”已新建")
    day.shot(page, "editor-plans-tomorrow")


def editor_assigns(page, live_server, day, accessibility, tally, tomorrow):
    """派稿: from the 工作台's proposals to the assignment, with a deadline, 字数 and a page."""
    page.goto(f"{live_server.url}/admin/")
    assert workbench_count(page, "待定报题") == 1
    accessibility.check(page, "admin-workbench-editor", DJANGO_ADMIN)
    day.keep_html(page, "workbench-editor")
    with tally.task("assigning it (派稿)", page):
        page.locator("a.nr-tally", has_text="待定报题").click()
        page.get_by_role("link", name=TOPIC).click()
        write(page.locator("#id_deadline_0"), tomorrow.isoformat())
        write(page.locator("#id_deadline_1"), "18:00:00")
        write(page.get_by_label("计划字数"), "600")
        pick(page, "id_page", "要闻", f"{tomorrow.isoformat()} 第1版 要闻")
        write(page.get_by_label("给记者的话（不采用时必填）"), "明早十点前交稿，配一张现场图。")
        accessibility.check(page, "admin-assignment-decision", DJANGO_ADMIN)
        day.keep_html(page, "assignment-decision")
        page.get_by_role("button", name="派稿（建好稿件）").click()
        expect_message(page, f"已派稿：稿件“{TOPIC}”已建好，等林晓来写。")
    day.shot(page, "editor-assigns")


def reporter_files_with_a_photo(page, live_server, day, accessibility, tally, picture):
    """The reporter, on a phone, writes the assigned story, adds a photo, previews and submits."""
    page.goto(f"{live_server.url}/admin/")
    assert unread(page) >= 1  # told of the assignment
    assert workbench_count(page, "派给我的稿") == 1
    with tally.task("filing the story", page):
        page.locator(".nr-panel--filer .nr-worklist").get_by_role("link", name=TOPIC).click()
        # The draft is theirs, bylined, in its section, with the topic as a working headline.
        expect(page.get_by_label("主标题")).to_have_value(TOPIC)
        expect(page.locator("#bylines-group")).to_contain_text("林晓")
        write(page.get_by_label("主标题"), HEADLINE)
        write(page.get_by_label("副题"), SUBHEADLINE)
        body = page.get_by_label("正文")
        body.click()
        body.fill("")
        page.keyboard.insert_text(BODY)  # what a paste does: one input event
        # 字数 counts while typing, as the server counts it.
        expect(page.locator(".field-char_count .readonly")).to_have_text(
            str(count_chars(normalize_body(BODY)))
        )
        type_new_tag(page, "id_tags", "地铁")
        type_new_tag(page, "id_tags", "城市交通")
    with tally.task("a photo on the story", page):
        page.get_by_role("button", name="添加稿件图片").click()
        row = page.locator("#article_photos-0")
        attach(page, row.locator("input[type=file]"), picture, tally)
        write(row.get_by_label("新图片的说明"), CAPTION)
        write(row.get_by_label("替代文字"), ALT_TEXT)
        # Whoever files it took it, unless they say otherwise.
        expect(row.locator(".field-credit .select2")).to_contain_text("林晓")
    accessibility.check(page, "admin-article-form-phone", DJANGO_ADMIN)
    # Usable at 375 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    day.shot(page, "reporter-fills-in-the-story-on-a-phone")
    with tally.task("filing the story", page):
        # The form as it stands, in a new tab, unsaved.
        with page.context.expect_page() as new_tab:
            page.get_by_role("button", name="预览（新标签页）").click()
        preview = new_tab.value
        preview.wait_for_load_state()
        expect(preview.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
        expect(preview.locator(".story-body p").first).to_contain_text(FIRST_PARAGRAPH)
        accessibility.check(preview, "admin-preview-unsaved")
        day.shot(preview, "reporter-previews-the-unsaved-story")
        preview.close()
        page.locator(".nr-workflow").get_by_role("button", name="提交", exact=True).click()
        expect_message(page, "已提交，稿件交给编辑部审核。")
    expect(page.locator(".field-char_count .readonly")).to_have_text(
        str(count_chars(normalize_body(BODY)))
    )
    day.shot(page, "reporter-submits")
    return page.url


def open_from_the_queue(page, live_server, level):
    """From the 工作台's queue (城市, at level), open the story."""
    page.goto(f"{live_server.url}/admin/")
    row = page.locator("table.nr-queue tbody tr", has_text="城市")
    row.locator("td").nth(level - 1).get_by_role("link").click()
    expect(page.locator("#result_list")).to_contain_text(
        {1: "初审（1/3）", 2: "复审（2/3）", 3: "终审（3/3）"}[level]
    )
    page.get_by_role("link", name=HEADLINE).click()


def editor_comments_and_returns(page, live_server, day, accessibility, tally):
    """初审: the editor leaves a 批注 and returns the story with a note."""
    with tally.task("初审: a comment, and the story returned", page):
        open_from_the_queue(page, live_server, 1)
        # The photo came with the copy, credited to the reporter.
        expect(page.locator("#article_photos-group")).to_contain_text(CAPTION[:20])
        write(page.locator("#nr-comment-text"), COMMENT)
        page.get_by_role("button", name="发表批注").click()
        expect_message(page, "批注已发表。")
        write(page.get_by_label("说明（退稿、撤稿、撤下时必填）"), RETURN_NOTE)
        page.locator(".nr-workflow").get_by_role("button", name="退回作者").click()
        expect_message(page, "已退回作者，附上您的说明。")
    day.shot(page, "editor-comments-and-returns")


def reporter_replies_and_resubmits(page, day, accessibility, tally):
    page.reload()
    assert unread(page) >= 2  # the return and the comment
    with tally.task("a reply, and the story resubmitted", page):
        open_notification(page, f"苏文退回了您的稿件“{HEADLINE}”。")
        note = page.locator(".nr-workflow").get_by_role("note")
        expect(note).to_contain_text("苏文")
        expect(note).to_contain_text(RETURN_NOTE)
        thread = page.locator(".nr-comment-thread").first
        expect(thread).to_contain_text("苏文")
        expect(thread).to_contain_text(COMMENT)
        accessibility.check(page, "admin-article-returned-with-comment-phone", DJANGO_ADMIN)
        day.keep_html(page, "article-returned-with-comment")
        body = page.get_by_label("正文")
        write(body, body.input_value() + "\n\n" + FIX)
        thread.locator("summary").click()
        write(thread.get_by_label("您对苏文的回复"), REPLY)
        thread.get_by_role("button", name="发表回复").click()
        expect_message(page, "批注已发表。")
        expect(page.locator(".nr-comment--reply")).to_contain_text(REPLY)
        page.locator(".nr-workflow").get_by_role("button", name="重新提交").click()
        expect_message(page, "已重新提交，稿件再次交给编辑部。")
    expect(page.locator(".field-body")).to_contain_text(FIX)
    day.shot(page, "reporter-replies-and-resubmits")


def editor_passes_first_review(page, live_server, day, accessibility, tally):
    with tally.task("初审", page):
        open_from_the_queue(page, live_server, 1)
        accessibility.check(page, "admin-article-first-review", DJANGO_ADMIN)
        page.locator(".nr-workflow").get_by_role("button", name="初审通过").click()
        expect_message(page, "初审已通过，稿件现等待复审（2/3）。")
    day.shot(page, "editor-passes-first-review")


def reviewer_passes(page, live_server, day, accessibility, tally, who, name, level, done):
    """复审 or 终审: told by a notification, passed from the article's page."""
    log_in(page, live_server, who, name)
    assert unread(page) == 1
    accessibility.check(page, f"admin-workbench-{who}", DJANGO_ADMIN)
    day.keep_html(page, f"workbench-{who}")
    with tally.task(level, page):
        page.locator("#nr-latest-notifications").get_by_role(
            "link", name=f"“{HEADLINE}”等待您{level}。"
        ).click()
        expect(page.locator(".nr-workflow")).to_contain_text("已提交")
        page.locator(".nr-workflow").get_by_role("button", name=f"{level}通过").click()
        expect_message(page, done)
    day.shot(page, f"{who}-passes-{level}")


def editor_places_against_capacity(page, live_server, day, accessibility, tally, tomorrow):
    with tally.task("placing it against the page's capacity", page):
        page.goto(f"{live_server.url}/admin/")
        page.locator(".nr-panel--desk").get_by_role("link", name=re.compile("^版面编排")).click()
        front = page.get_by_role("region", name=f"{tomorrow.isoformat()} 第1版 要闻")
        expect(front.locator(".nr-fill")).to_contain_text(f"已排 0 字，容量 {CAPACITY} 字")
        # The story is planned for this page: the planner says so, with its 字数.
        expect(front.locator(".nr-planned")).to_contain_text("计划 600 字")
        waiting = page.locator(".nr-waiting__item", has_text=HEADLINE)
        waiting.get_by_role("button", name="排入版面").click()
        expect_message(page, "已排入版面。")
    front = page.get_by_role("region", name=f"{tomorrow.isoformat()} 第1版 要闻")
    placed = count_chars(normalize_body(BODY + "\n\n" + FIX))
    expect(front.locator(".nr-fill")).to_contain_text(f"已排 {placed} 字，容量 {CAPACITY} 字")
    expect(front.locator(".nr-card", has_text=HEADLINE)).to_contain_text("已通过")
    accessibility.check(page, "admin-planner-capacity", DJANGO_ADMIN)
    day.keep_html(page, "planner-capacity")
    day.shot(page, "editor-places-against-capacity")


def chief_signs_off_and_publishes(page, live_server, day, accessibility, tally, tomorrow):
    edition = f"{long_date(tomorrow)} 第6126期"
    with tally.task("sign-off and publication", page):
        page.goto(f"{live_server.url}/admin/")
        assert workbench_count(page, "编排中的期次") == 1
        page.locator(".nr-panel--chief").get_by_role("link", name=edition).click()
        preflight = page.locator("#nr-preflight")
        expect(preflight).to_contain_text("发稿前检查：没有问题，可以签发。")
        # This paper (the tests' settings) publishes no e-paper, and the planner says so.
        expect(preflight).to_contain_text("本报不出电子版")
        page.get_by_role("button", name="签发").click()
        expect_message(page, f"已签发，{edition}可以发布了。")
        page.get_by_role("button", name="立即发布").click()
        expect_message(page, f"正在发布{edition}：片刻后读者即可看到全部稿件")
        # What the task worker does beside the server (the live server runs none).
        assert run_jobs() >= 1
        page.reload()
    expect(page.locator(".nr-planner__head")).to_contain_text("已发布")
    day.shot(page, "chief-publishes")


def reporter_is_told_it_is_out(page, day, accessibility):
    page.reload()
    page.locator("#user-tools").get_by_role("link", name=re.compile("^通知")).click()
    listing = page.locator("#result_list")
    expect(listing).to_contain_text(f"“{HEADLINE}”已发布。")
    expect(listing).to_contain_text(f"高远终审通过了“{HEADLINE}”。")
    accessibility.check(page, "admin-notifications-phone", DJANGO_ADMIN)
    day.keep_html(page, "notifications")
    day.shot(page, "reporter-is-told-it-is-out")


def reader_reads_the_paper(page, live_server, day, accessibility, tomorrow):
    """Home page, edition, page, article, search and feed, as a reader meets them."""
    edition = f"{long_date(tomorrow)} 第6126期"
    dateline = "本报讯(记者 林晓)"
    pages = {}

    def arrive(name):
        pages[name] = page.url
        accessibility.check(page, name)
        day.shot(page, f"reader-{name}")

    page.goto(f"{live_server.url}/")
    today = page.get_by_role("region", name=edition)
    expect(today.get_by_role("heading", name=edition)).to_be_visible()
    lead = today.locator(".teaser--lead")
    expect(lead.get_by_role("heading", name=HEADLINE)).to_be_visible()
    expect(lead).to_contain_text(SUBHEADLINE)
    expect(lead).to_contain_text("记者 林晓")
    expect(lead.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    arrive("home")

    today.get_by_role("link", name=edition).click()
    front_page = page.get_by_role("region", name="第1版 要闻")
    expect(front_page).to_contain_text("责任编辑 苏文")
    arrive("edition")

    front_page.get_by_role("heading", name="第1版 要闻").get_by_role("link").click()
    expect(page.get_by_role("heading", name="第1版 要闻", level=1)).to_be_visible()
    arrive("page")

    page.get_by_role("link", name=HEADLINE).click()
    story = page.get_by_role("article")
    expect(story.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
    expect(story.locator(".subheadline")).to_have_text(SUBHEADLINE)
    # The dateline leads the first paragraph, which is whole again.
    expect(story.locator(".story-body p")).to_have_text(
        [dateline + FIRST_PARAGRAPH, re.compile("王女士"), FIX]
    )
    figure = story.locator("figure.photo")
    expect(figure.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(figure.locator("figcaption")).to_have_text(f"{CAPTION} 林晓 摄")
    expect(story.get_by_role("list", name="标签")).to_have_text(re.compile("地铁.*城市交通"))
    expect(story.locator(".placement")).to_have_text(f"见报： {edition} 第1版 要闻")
    arrive("article")

    search = page.get_by_role("search").first
    search.get_by_label("搜索本报").fill("地铁")
    search.get_by_label("搜索本报").press("Enter")
    expect(page.get_by_role("heading", name="找到 1 篇与“地铁”有关的稿件")).to_be_visible()
    arrive("search")

    page.goto(pages["article"])
    page.locator(".dateline").get_by_role("link", name="林晓").click()
    expect(page.get_by_role("heading", name="林晓", level=1)).to_be_visible()
    arrive("person")
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="城市").click()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    arrive("section")

    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="RSS").click()
    expect(page.locator("body")).to_contain_text(HEADLINE)
    feed = feedparser.parse(page.request.get(page.url).body())
    latest = feed.entries[0]
    assert (latest.title, latest.link) == (HEADLINE, pages["article"])
    assert latest.author == "林晓"
    return pages


def public_html(page, pages, folder):
    """Save each public page's HTML as served (not as the browser rebuilt it) for vnu."""
    return [served_html(page, url, folder / f"{name}.html") for name, url in pages.items()]


@pytest.mark.django_db(transaction=True)
def test_a_day_at_the_paper_with_three_reviews(
    live_server, people, open_browser, day, accessibility, tally, tmp_path, capsys
):
    # The accounts (the people fixture) and the city section, whose copy needs
    # 三审, exist before the day starts; nobody makes them as part of it.
    SectionFactory(name="城市", slug="chengshi", review_levels=3)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    reporter = tally.watch(open_browser(phone=True))
    editor = tally.watch(open_browser())
    picture = news_photo(tmp_path / "IMG_0412.jpg")

    reporter_proposes(reporter, live_server, day, accessibility, tally)
    editor_plans_tomorrow(editor, live_server, day, tomorrow)
    editor_assigns(editor, live_server, day, accessibility, tally, tomorrow)
    article_url = reporter_files_with_a_photo(
        reporter, live_server, day, accessibility, tally, picture
    )
    editor_comments_and_returns(editor, live_server, day, accessibility, tally)
    reporter_replies_and_resubmits(reporter, day, accessibility, tally)
    editor_passes_first_review(editor, live_server, day, accessibility, tally)
    desk_head = tally.watch(open_browser())
    reviewer_passes(
        desk_head,
        live_server,
        day,
        accessibility,
        tally,
        "deskhead",
        "何静",
        "复审",
        "复审已通过，稿件现等待终审（3/3）。",
    )
    chief = tally.watch(open_browser())
    reviewer_passes(
        chief,
        live_server,
        day,
        accessibility,
        tally,
        "chief",
        "高远",
        "终审",
        "审核通过，稿件可以排版了。",
    )
    # The desk queue as the desk sees it now: nothing left to review.
    editor.goto(f"{live_server.url}/admin/articles/deskqueue/")
    expect(editor.locator(".paginator")).to_contain_text("0 篇待审稿件")
    day.keep_html(editor, "desk-queue")
    accessibility.check(editor, "admin-desk-queue", DJANGO_ADMIN)
    editor_places_against_capacity(editor, live_server, day, accessibility, tally, tomorrow)
    chief.goto(f"{live_server.url}/admin/")
    day.keep_html(chief, "workbench-chief-before-sign-off")
    chief_signs_off_and_publishes(chief, live_server, day, accessibility, tally, tomorrow)
    reporter.goto(article_url)
    reporter_is_told_it_is_out(reporter, day, accessibility)

    reader = open_browser()
    pages = reader_reads_the_paper(reader, live_server, day, accessibility, tomorrow)

    report = tally.report()
    (day.artifacts / "clicks-and-page-loads.txt").write_text(report + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\nClicks and page loads per task:\n" + report)
        for task, (clicks, loads) in BEFORE.items():
            print(f"  {task}: before about {clicks} clicks over {loads} page loads")
    for task, (clicks, loads) in BEFORE.items():
        counts = tally.tasks[task]
        assert counts["click"] < clicks and counts["load"] < loads, (task, counts)

    html_errors = run_vnu([*public_html(reader, pages, day.html), *day.admin_pages])
    problems = []
    if accessibility.problems:
        problems.append(accessibility.report())
    if html_errors:
        problems.append(describe_vnu(html_errors))
    assert not problems, "\n\n".join(problems)
