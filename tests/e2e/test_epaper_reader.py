"""A reader on the e-paper, on a desktop and on a phone.

The latest 第1版 as printed → an article chosen on the page → read it, with
its reading tools → 下一篇 → back to the page (its zone highlighted) →
下一版 → 上一期 → the date picker. Every page is photographed for each
screen in artifacts/e2e/, checked by axe-core (no serious or critical
finding) and, as served, by the Nu HTML checker (no error).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from articles import services
from articles.demo import DEMO_DATE, _attach_page_pdfs, _publish, ensure_accounts, load_demo
from articles.importer.load import import_page
from articles.models import Article, Edition
from people.models import Person
from people.roles import Role
from tests.production.conftest import restore_roles

from .checkers import Accessibility, describe_vnu, run_vnu

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LEAD = "滨江首条过江隧道全线贯通"
NEXT = "市民服务中心推出“周末不打烊”"
DAY_BEFORE = DEMO_DATE - datetime.timedelta(days=1)
# The day before's front page: our own writing, as the importer reads it.
DAY_BEFORE_PAGE = """滨江举行冬季长跑节

本报讯(记者 林晓)11月25日上午，滨江冬季长跑节在江滨公园开跑，三千多名市民沿江岸跑完五公里和十公里两个组别的赛程。

组委会介绍，今年赛道首次经过刚刚建成的江滨绿道，沿途设置了六个补给点和两个医疗站。



城东菜市场完成改造重新开业

本报讯(记者 许诺)经过三个月的改造，城东菜市场11月25日重新开业。市场新增了净菜区和熟食区，摊位统一使用电子秤，价格公示牌一目了然。
"""


def day_before_edition():
    """A published edition the day before the demo's, with its page PDF."""
    users = ensure_accounts()
    editor = users[Role.EDITOR]
    page = import_page(DAY_BEFORE_PAGE, date=DAY_BEFORE, number=1, name="要闻", user=editor).page
    page.editor = Person.objects.get(user=editor)
    services.save_page(page, user=editor)
    edition = Edition.objects.get(date=DAY_BEFORE)
    edition.number = 6124
    services.save_edition(edition, user=editor)
    _attach_page_pdfs(edition, users)
    _publish(edition, users)


@pytest.fixture
def paper(settings):
    settings.DEBUG = True  # the demo's known passwords; the live server ignores DEBUG
    restore_roles()
    load_demo()
    day_before_edition()


class Walk:
    """One reader's walk on one screen: screenshots, axe, and the pages' HTML for vnu."""

    def __init__(self, page, screen, artifacts, accessibility):
        self.page, self.screen = page, screen
        self.artifacts, self.accessibility = artifacts, accessibility
        self.count = 0
        self.urls = {}

    def arrive(self, name):
        self.count += 1
        label = f"epaper-{self.screen}-{self.count:02d}-{name}"
        self.page.screenshot(path=self.artifacts / f"{label}.png", full_page=True)
        self.accessibility.check(self.page, label)
        self.urls[label] = self.page.url.split("#")[0]


def walk(page, live_server, walker):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="电子版").click()
    expect(page).to_have_url(re.compile(r"/editions/2026-11-27/1/$"))
    expect(page.get_by_role("heading", name="第1版 要闻", level=1)).to_be_visible()
    facsimile = page.locator(".facsimile-img")
    expect(facsimile).to_be_visible()
    # Visible is not loaded: wait for the picture itself (under load it comes later).
    page.wait_for_function(
        "() => { const img = document.querySelector('.facsimile-img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    zones = page.locator("svg.zones a.zone")
    expect(zones).to_have_count(4)
    contents = page.get_by_role("navigation", name="本版稿件")
    expect(contents.get_by_role("link")).to_have_count(4)
    # The zones are links a keyboard reaches, each named by its headline.
    lead_zone = page.locator("svg.zones").get_by_role("link", name=LEAD)
    lead_zone.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == LEAD
    # Zoom in and out.
    page.get_by_role("button", name="放大").click()
    expect(page.locator("[data-facsimile]")).to_have_class(re.compile("zoom-1"))
    page.get_by_role("button", name="缩小").click()
    walker.arrive("front-page")

    lead_zone.click()
    story = page.get_by_role("article")
    expect(story.get_by_role("heading", name=LEAD, level=1)).to_be_visible()
    page.get_by_role("button", name="大", exact=True).click()
    expect(page.locator("html")).to_have_attribute("data-font-size", "large")
    expect(page.get_by_role("img", name="本文网址二维码")).to_be_visible()
    expect(page.get_by_role("navigation", name="栏目")).to_be_visible()
    walker.arrive("article")

    page.get_by_role("navigation", name="本版其他稿件").get_by_role(
        "link", name=re.compile("下一篇")
    ).click()
    expect(page.get_by_role("heading", name=NEXT, level=1)).to_be_visible()
    # The text size chosen on the first article holds on the next.
    expect(page.locator("html")).to_have_attribute("data-font-size", "large")
    walker.arrive("next-article")

    next_id = Article.objects.get(headline=NEXT).pk
    page.get_by_role("link", name=re.compile("返回版面")).click()
    expect(page).to_have_url(re.compile(rf"/editions/2026-11-27/1/#zone-{next_id}$"))
    assert page.evaluate("document.querySelector('.zone:target') !== null")
    walker.arrive("back-to-the-page")

    page.get_by_role("link", name=re.compile("下一版")).click()
    expect(page.get_by_role("heading", name="第2版 综合", level=1)).to_be_visible()
    expect(page.locator("svg.zones a.zone")).to_have_count(4)
    walker.arrive("next-page")

    page.get_by_role("link", name=re.compile("上一期")).click()
    expect(page).to_have_url(re.compile(r"/editions/2026-11-26/1/$"))
    expect(page.get_by_role("heading", name="第1版 要闻", level=1)).to_be_visible()
    expect(page.locator("svg.zones a.zone")).to_have_count(2)
    walker.arrive("previous-edition")

    picker = page.get_by_label("选择日期")
    picker.fill(DEMO_DATE.isoformat())
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(r"/editions/2026-11-27/1/$"))
    walker.arrive("date-picker")

    page.goto(f"{live_server.url}/editions/{DEMO_DATE}/")
    expect(page.get_by_role("navigation", name="本期版面")).to_be_visible()
    walker.arrive("edition")
    page.goto(f"{live_server.url}/search/?q=隧道&since_year=2026&since_month=11&since_day=1")
    expect(page.get_by_role("search")).to_have_count(1)
    walker.arrive("search")


@pytest.mark.django_db(transaction=True)
def test_a_reader_on_the_e_paper(live_server, paper, browser, artifacts, tmp_path):
    accessibility = Accessibility(artifacts)
    served = []
    for screen, viewport in SCREENS.items():
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        walker = Walk(page, screen, artifacts, accessibility)
        try:
            walk(page, live_server, walker)
        except Exception:
            page.screenshot(path=artifacts / f"failed-epaper-{screen}.png", full_page=True)
            raise
        if screen == "desktop":
            folder = artifacts / "html-epaper"
            folder.mkdir(exist_ok=True)
            for label, url in walker.urls.items():
                response = page.request.get(url)
                assert response.ok, (label, url, response.status)
                path = folder / f"{label}.html"
                path.write_bytes(response.body())
                served.append(path)
        context.close()
    html_errors = run_vnu(served)
    problems = []
    if accessibility.problems:
        problems.append(accessibility.report())
    if html_errors:
        problems.append(describe_vnu(html_errors))
    assert not problems, "\n\n".join(problems)
