"""A day at the paper, in a real browser: from filing to the reader.

Each person has a browser of their own and does what they do every day in
the admin; the reader then finds the story on the public site. Every step
checks what the person sees on screen and leaves a screenshot in
artifacts/e2e/.
"""

import datetime
import re

import feedparser
import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.factories import SectionFactory

from .checkers import DJANGO_ADMIN, Accessibility, describe_vnu, run_vnu
from .ui import expect_message, log_in, open_list, pick, pick_many, type_new_tag

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
RETURN_NOTE = "请补充票价。"
DESK_EDIT = "记者从现场发回报道。"
CAPTION = "11月28日，乘客在滨江地铁二号线江南站候车。"
ALT_TEXT = "站台上候车的乘客和进站的地铁列车"


class Day:
    """The day's screenshots, numbered in the order they were taken."""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.count = 0

    def shot(self, page, name):
        self.count += 1
        page.screenshot(path=self.artifacts / f"{self.count:02d}-{name}.png", full_page=True)


def long_date(date):
    """A date as the Chinese interface prints it: 2026年11月30日."""
    return f"{date.year}年{date.month}月{date.day}日"


def news_photo(path):
    """A JPEG as a camera would deliver it: a platform, a train, people."""
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


def reporter_files_the_story(page, live_server, day, accessibility):
    """Step 1: the reporter files copy with a reporter + correspondent byline and tags."""
    log_in(page, live_server, "reporter")
    open_list(page, live_server, "article", "稿件")
    page.get_by_role("link", name="增加 稿件").click()
    expect(page.get_by_role("heading", name="增加 稿件")).to_be_visible()

    pick(page, "id_section", "城市")
    page.get_by_label("主标题").fill(HEADLINE)
    page.get_by_label("副题").fill(SUBHEADLINE)
    page.get_by_label("电头").fill("本报讯")
    page.get_by_label("正文").click()
    page.keyboard.insert_text(BODY)  # what a paste does: one input event, no keystrokes
    type_new_tag(page, "id_tags", "地铁")
    type_new_tag(page, "id_tags", "城市交通")
    pick(page, "id_bylines-0-person", "林晓")
    page.locator("#id_bylines-0-role").select_option(label="记者")
    page.get_by_role("button", name="添加另一个 署名").click()
    pick(page, "id_bylines-1-person", "周敏")
    page.locator("#id_bylines-1-role").select_option(label="通讯员")
    page.locator("#id_bylines-1-position").fill("1")
    day.shot(page, "reporter-fills-in-the-story")

    page.get_by_role("button", name="保存并继续编辑").click()
    expect_message(page, HEADLINE)
    # The broken line is joined back into one paragraph.
    expect(page.get_by_label("正文")).to_have_value(re.compile(re.escape(FIRST_PARAGRAPH)))
    workflow = page.locator(".nr-workflow")
    expect(workflow).to_contain_text("草稿")
    accessibility.check(page, "admin-article-draft", DJANGO_ADMIN)
    workflow.get_by_role("button", name="提交", exact=True).click()
    expect_message(page, "操作完成：稿件现为“已提交”。")
    expect(workflow).to_contain_text("已提交")
    expect(workflow.get_by_role("button", name="撤回提交")).to_be_visible()
    day.shot(page, "reporter-submits")
    return page.url


def editor_plans_tomorrows_paper(page, live_server, day, tomorrow):
    """The editor makes tomorrow's edition with its front page, forgetting its page editor."""
    log_in(page, live_server, "editor")
    open_list(page, live_server, "edition", "期次")
    page.get_by_role("link", name="增加 期次").click()
    page.get_by_label("日期").fill(tomorrow.isoformat())
    page.get_by_label("期号").fill("6126")
    page.get_by_role("button", name="添加另一个 版面").click()
    page.locator("#id_pages-0-number").fill("1")
    page.locator("#id_pages-0-name").fill("要闻")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect_message(page, f"{long_date(tomorrow)} 第6126期")
    expect(page.get_by_role("link", name="打开版面编排")).to_be_visible()
    day.shot(page, "editor-plans-tomorrows-edition")
    return page.url


def editor_opens_the_story_from_the_desk_queue(page, live_server):
    open_list(page, live_server, "deskqueue", "待审稿件")
    row = page.locator("#result_list tbody tr", has_text=HEADLINE)
    expect(row).to_contain_text("林晓 周敏")
    row.get_by_role("link", name=HEADLINE).click()
    expect(page.locator(".nr-workflow")).to_contain_text("已提交")


def editor_returns_the_story(page, live_server, day, accessibility):
    """Step 2: the desk queue, and the story back to the reporter with a note."""
    editor_opens_the_story_from_the_desk_queue(page, live_server)
    day.shot(page, "editor-reads-the-submitted-story")
    accessibility.check(page, "admin-article-submitted", DJANGO_ADMIN)
    workflow = page.locator(".nr-workflow")
    # A step pressed without its note is refused, and what was typed stays.
    body = page.get_by_label("正文")
    body.fill(body.input_value() + "\n\n" + DESK_EDIT)
    workflow.get_by_role("button", name="退回作者").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_label("正文")).to_have_value(re.compile(re.escape(DESK_EDIT)))
    workflow.get_by_label("说明（退稿、撤稿、撤下时必填）").fill(RETURN_NOTE)
    workflow.get_by_role("button", name="退回作者").click()
    expect_message(page, "操作完成：稿件现为“已退回”。")
    day.shot(page, "editor-returns-the-story")


def reporter_fixes_and_resubmits(page, day, accessibility, article_url):
    page.goto(article_url)
    workflow = page.locator(".nr-workflow")
    expect(workflow).to_contain_text("已退回")
    expect(workflow.get_by_role("note")).to_contain_text("editor 于")
    expect(workflow.get_by_role("note")).to_contain_text(RETURN_NOTE)
    accessibility.check(page, "admin-article-returned", DJANGO_ADMIN)
    day.shot(page, "reporter-sees-the-note")
    expect(page.get_by_label("正文")).to_have_value(re.compile(re.escape(DESK_EDIT)))
    body = page.get_by_label("正文")
    body.fill(body.input_value() + "\n\n" + FIX)
    # Resubmitted straight from the changed form: the fix is saved with the step.
    page.locator(".nr-workflow").get_by_role("button", name="重新提交").click()
    expect_message(page, "操作完成：稿件现为“已提交”。")
    page.goto(article_url)
    expect(page.locator(".field-body")).to_contain_text(FIX)
    day.shot(page, "reporter-resubmits")


def editor_approves_and_places(page, live_server, day, accessibility, tomorrow):
    editor_opens_the_story_from_the_desk_queue(page, live_server)
    expect(page.get_by_label("正文")).to_have_value(re.compile(re.escape(FIX)))
    page.locator(".nr-workflow").get_by_role("button", name="审核通过").click()
    expect_message(page, "操作完成：稿件现为“已通过”。")
    placing = page.locator(".nr-action--place")
    front_page = f"{tomorrow.isoformat()} 第1版 要闻"
    placing.get_by_label("版面").select_option(label=front_page)
    accessibility.check(page, "admin-article-approved", DJANGO_ADMIN)
    placing.get_by_role("button", name="排入版面").click()
    expect_message(page, f"已排入{front_page}。")
    expect(page.locator(".nr-workflow").get_by_role("button", name="撤出版面")).to_be_visible()
    day.shot(page, "editor-places-the-story-on-page-1")


def photographer_uploads_and_attaches(page, live_server, day, accessibility, picture):
    """Step 3: the photographer's desk, then the photo attached from its own page."""
    log_in(page, live_server, "photo")
    open_list(page, live_server, "photo", "图片")
    page.get_by_role("link", name="批量上传图片").click()
    page.get_by_label("图片").set_input_files(picture)
    pick_many(page, "id_photographers", "陈光")
    day.shot(page, "photographer-uploads")
    page.get_by_role("button", name="上传").click()
    expect_message(page, "已上传 1 张图片。")
    expect(page.get_by_role("heading", name="填写图片说明")).to_be_visible()
    page.get_by_label("图片说明").fill(CAPTION)
    page.get_by_label("替代文字").fill(ALT_TEXT)
    expect(page.locator("#photo-describe-form")).to_contain_text("陈光")
    accessibility.check(page, "admin-photo-describe", DJANGO_ADMIN)
    page.get_by_role("button", name="保存").click()
    expect_message(page, "图片说明已保存。")
    day.shot(page, "photographer-describes-the-photo")

    open_list(page, live_server, "photo", "图片")
    page.get_by_role("link", name=CAPTION[:40]).first.click()
    page.get_by_role("button", name="添加另一个 稿件用图").click()
    pick(page, "id_uses-0-article", "地铁", HEADLINE)
    day.shot(page, "photographer-attaches-the-photo")
    page.get_by_role("button", name="保存", exact=True).click()
    expect_message(page, f"成功修改了 图片“{CAPTION}”")


def chief_cannot_sign_off_yet(page, live_server, day, accessibility, tomorrow):
    """Step 4: the planner shows the problem, and sign-off is refused."""
    log_in(page, live_server, "chief")
    open_list(page, live_server, "edition", "期次")
    page.get_by_role("link", name=long_date(tomorrow)).click()
    page.get_by_role("link", name="打开版面编排").click()
    edition = f"{long_date(tomorrow)} 第6126期"
    expect(page.get_by_role("heading", name=f"版面编排：{edition}")).to_be_visible()
    problem = f"{tomorrow.isoformat()} 第1版 要闻没有责任编辑。"
    expect(page.locator("#nr-preflight")).to_contain_text("发稿前检查：签发前还需解决 1 个问题。")
    front_page = page.get_by_role("region", name=f"{tomorrow.isoformat()} 第1版 要闻")
    expect(front_page.locator(".nr-problems")).to_have_text(problem)
    card = front_page.locator(".nr-card", has_text=HEADLINE)
    expect(card).to_contain_text("已通过")
    expect(card).to_contain_text("林晓 周敏")
    expect(card.locator(".nr-problems")).to_have_count(0)
    accessibility.check(page, "admin-planner-problem", DJANGO_ADMIN)
    page.get_by_role("button", name="签发").click()
    expect_message(page, f"本期无法签发：还有 1 个问题，首先是：{problem}")
    day.shot(page, "chief-sees-the-preflight-problem")
    return page.url


def editor_names_the_page_editor(page, day, edition_url):
    """The chief asks; the editor takes page 1 and says so on the edition."""
    page.goto(edition_url)
    pick(page, "id_pages-0-editor", "苏文")
    day.shot(page, "editor-names-the-page-editor")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect_message(page, "成功修改了 期次")
    expect(page.locator(".page-plan")).to_contain_text("责任编辑: 苏文")


def chief_signs_off_and_publishes(page, day, accessibility, planner_url):
    page.goto(planner_url)
    expect(page.locator("#nr-preflight")).to_have_text("发稿前检查：没有问题，可以签发。")
    expect(page.locator(".nr-page__editor")).to_have_text("责任编辑: 苏文")
    accessibility.check(page, "admin-planner-ready", DJANGO_ADMIN)
    page.get_by_role("button", name="签发").click()
    expect_message(page, "操作完成。")
    expect(page.locator(".nr-planner__head")).to_contain_text("已签发")
    day.shot(page, "chief-signs-off")
    page.get_by_role("button", name="立即发布").click()
    expect_message(page, "操作完成。")
    expect(page.locator(".nr-planner__head")).to_contain_text("已发布")
    expect(page.get_by_role("button", name="立即发布")).to_have_count(0)
    day.shot(page, "chief-publishes")


def reader_reads_the_paper(page, live_server, day, accessibility, tomorrow):
    """Step 5: home page, edition, page, article, search and feed, as a reader meets them."""
    edition = f"{long_date(tomorrow)} 第6126期"
    dateline = "本报讯(记者 林晓 通讯员 周敏)"
    pages = {}

    def arrive(name):
        pages[name] = page.url
        accessibility.check(page, name)
        day.shot(page, f"reader-{name}")

    page.goto(f"{live_server.url}/")
    today = page.get_by_role("region", name=edition)
    expect(today.get_by_role("heading", name=edition)).to_be_visible()
    expect(today.get_by_role("link", name="第1版 要闻")).to_be_visible()
    lead = today.locator(".teaser--lead")
    expect(lead.get_by_role("heading", name=HEADLINE)).to_be_visible()
    expect(lead).to_contain_text(SUBHEADLINE)
    expect(lead).to_contain_text("记者 林晓 通讯员 周敏")
    expect(lead.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    arrive("home")

    today.get_by_role("link", name=edition).click()
    expect(page.get_by_role("heading", name=edition, level=1)).to_be_visible()
    front_page = page.get_by_role("region", name="第1版 要闻")
    expect(front_page).to_contain_text("责任编辑 苏文")
    expect(front_page.get_by_role("link", name=HEADLINE)).to_be_visible()
    arrive("edition")

    front_page.get_by_role("heading", name="第1版 要闻").get_by_role("link").click()
    expect(page.get_by_role("heading", name="第1版 要闻", level=1)).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("责任编辑 苏文")
    arrive("page")

    page.get_by_role("link", name=HEADLINE).click()
    story = page.get_by_role("article")
    expect(story.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
    expect(story.locator(".subheadline")).to_have_text(SUBHEADLINE)
    paragraphs = story.locator(".story-body p")
    # The dateline leads the first paragraph, which is whole again.
    expect(paragraphs).to_have_text(
        [dateline + FIRST_PARAGRAPH, re.compile("王女士"), DESK_EDIT, FIX]
    )
    expect(story.locator(".dateline")).to_have_text(dateline)
    figure = story.locator("figure.photo")
    expect(figure.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(figure.locator("figcaption")).to_have_text(f"{CAPTION} 陈光 摄")
    expect(figure.locator(".credit")).to_have_text("陈光 摄")
    expect(story.get_by_role("list", name="标签")).to_have_text(re.compile("地铁.*城市交通"))
    expect(story.locator(".placement")).to_have_text(f"见报： {edition} 第1版 要闻")
    arrive("article")

    search = page.get_by_role("search").first
    search.get_by_label("搜索本报").fill("地铁")
    search.get_by_label("搜索本报").press("Enter")
    expect(page.get_by_role("heading", name="找到 1 篇与“地铁”有关的稿件")).to_be_visible()
    result = page.locator(".result")
    expect(result.get_by_role("link", name=HEADLINE)).to_be_visible()
    expect(result.locator("mark").first).to_have_text("地铁")
    arrive("search")

    # The story leads to the rest of the paper: its tag, its reporter, its section.
    page.goto(pages["article"])
    page.get_by_role("list", name="标签").get_by_role("link", name="地铁").click()
    expect(page.get_by_role("heading", name="地铁", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    arrive("tag")
    page.goto(pages["article"])
    page.locator(".dateline").get_by_role("link", name="林晓").click()
    expect(page.get_by_role("heading", name="林晓", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    arrive("person")
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="城市").click()
    expect(page.get_by_role("heading", name="城市", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    arrive("section")
    # 电子版 opens the latest edition's front page; the calendar is one link on.
    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="电子版").click()
    expect(page.get_by_role("heading", name="第1版 要闻", level=1)).to_be_visible()
    page.get_by_role("navigation", name="往期导航").get_by_role("link", name="往期回顾").click()
    calendar = page.get_by_role("table", name=f"{tomorrow.year}年{tomorrow.month}月出版的报纸")
    expect(calendar.get_by_role("link", name=f"{tomorrow.day} 第6126期")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name=edition)).to_be_visible()
    arrive("archive")

    # The feed, as a feed reader reads it.
    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="RSS").click()
    expect(page.locator("body")).to_contain_text(HEADLINE)
    day.shot(page, "reader-feed")
    feed = feedparser.parse(page.request.get(page.url).body())
    assert feed.feed.title == "滨江日报"
    latest = feed.entries[0]
    assert (latest.title, latest.link) == (HEADLINE, pages["article"])
    assert latest.author == "林晓、周敏"
    assert [tag.term for tag in latest.tags] == ["地铁", "城市交通"]
    return pages


def public_html(page, pages, folder):
    """Save each public page's HTML as served (not as the browser rebuilt it) for vnu."""
    folder.mkdir(exist_ok=True)
    paths = []
    for name, url in pages.items():
        response = page.request.get(url)
        assert response.ok, (name, url, response.status)
        path = folder / f"{name}.html"
        path.write_bytes(response.body())
        paths.append(path)
    return paths


@pytest.mark.django_db(transaction=True)
def test_a_day_at_the_paper(live_server, people, open_browser, day, accessibility, tmp_path):
    # The accounts (the people fixture) and the site's sections exist before
    # the day starts; nobody makes them as part of it.
    SectionFactory(name="城市", slug="chengshi")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    reporter, editor, photographer = open_browser(), open_browser(), open_browser()

    # 1. The reporter files the story and submits it.
    article_url = reporter_files_the_story(reporter, live_server, day, accessibility)

    # 2. The editor plans tomorrow's paper, returns the story with a note; the
    # reporter fixes it and resubmits; the editor approves it and puts it on page 1.
    edition_url = editor_plans_tomorrows_paper(editor, live_server, day, tomorrow)
    editor_returns_the_story(editor, live_server, day, accessibility)
    reporter_fixes_and_resubmits(reporter, day, accessibility, article_url)
    editor_approves_and_places(editor, live_server, day, accessibility, tomorrow)

    # 3. The photographer uploads a picture, describes it and attaches it.
    picture = news_photo(tmp_path / "DSC_0412.jpg")
    photographer_uploads_and_attaches(photographer, live_server, day, accessibility, picture)

    # 4. The chief editor finds a preflight problem in the planner; the editor
    # fixes it; the chief signs the edition off and publishes it.
    chief = open_browser()
    planner_url = chief_cannot_sign_off_yet(chief, live_server, day, accessibility, tomorrow)
    editor_names_the_page_editor(editor, day, edition_url)
    chief_signs_off_and_publishes(chief, day, accessibility, planner_url)

    # 5. A reader finds the story on the public site.
    reader = open_browser()
    pages = reader_reads_the_paper(reader, live_server, day, accessibility, tomorrow)

    # Checked by tools nobody here wrote: axe-core along the way, the Nu HTML
    # checker on every public page the reader saw.
    html_errors = run_vnu(public_html(reader, pages, day.artifacts / "html"))
    problems = []
    if accessibility.problems:
        problems.append(accessibility.report())
    if html_errors:
        problems.append(describe_vnu(html_errors))
    assert not problems, "\n\n".join(problems)
