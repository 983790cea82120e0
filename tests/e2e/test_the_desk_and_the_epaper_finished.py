"""The desk and the e-paper, finished (issue 27), walked in Chromium.

- A story from 报题 to the draft its reporter writes, the desk's brief on it.
- An editor draws a zone on the facsimile by hand; a reader clicks it.
- Every role's admin pages, as the browser shows them (scripts included),
  in Chinese: no English word or raw code but the proper nouns allowed.

Screenshots go to artifacts/e2e/ (desk-*.png, zone-*.png, chinese-*.png).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.epaper import pages as epaper_pages
from articles.models import Article, ArticleZone, Assignment, Edition
from tests.admin.test_chinese import foreign_words
from tests.epaper.composing import demo_page
from tests.factories import EditionFactory, PageFactory, SectionFactory

from .ui import expect_message, log_in, pick, write

TOPIC = "地铁二号线试运营首日"
NOTES = "采访首班车乘客和站务员，问清票价。"
NOTE_TO_REPORTER = "今晚八点前交稿，配一张现场图。"


@pytest.mark.django_db(transaction=True)
def test_the_desks_brief_travels_from_the_proposal_to_the_draft(
    live_server, people, open_browser, artifacts
):
    SectionFactory(name="城市", slug="chengshi")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    edition = EditionFactory(date=tomorrow, number=6126)
    PageFactory(edition=edition, number=1, name="要闻")
    PageFactory(edition=edition, number=2, name="城市")

    # 报题: the reporter proposes the story.
    reporter = open_browser()
    log_in(reporter, live_server, "reporter", "林晓")
    reporter.get_by_role("link", name="报题", exact=True).click()
    write(reporter.get_by_label("选题", exact=False).first, TOPIC)
    write(reporter.get_by_label("说明"), NOTES)
    pick(reporter, "id_section", "城市")
    reporter.get_by_role("button", name="保存", exact=True).click()
    expect_message(reporter, f"选题“{TOPIC}”已新建。")

    # 派稿: the desk plans it for 第2版 城市, 800 字, with a note for the reporter.
    editor = open_browser()
    log_in(editor, live_server, "editor", "苏文")
    editor.goto(f"{live_server.url}/admin/articles/assignment/")
    editor.get_by_role("link", name=TOPIC).click()
    write(editor.get_by_label("计划字数"), "800")
    pick(editor, "id_page", "城市", f"{tomorrow.isoformat()} 第2版 城市")
    write(editor.get_by_label("给记者的话（不采用时必填）"), NOTE_TO_REPORTER)
    editor.get_by_role("button", name="派稿（建好稿件）").click()
    expect_message(editor, "已派稿")
    editor.screenshot(path=artifacts / "desk-1-assigned.png", full_page=True)

    # The reporter's 工作台 carries the brief; the draft opens with it.
    reporter.goto(f"{live_server.url}/admin/")
    filer = reporter.locator(".nr-panel--filer")
    expect(filer).to_contain_text(NOTE_TO_REPORTER)
    reporter.screenshot(path=artifacts / "desk-2-workbench.png", full_page=True)
    filer.locator(".nr-worklist").get_by_role("link", name=TOPIC).click()
    brief = reporter.locator(".nr-brief")
    for words in ("派稿要求", NOTE_TO_REPORTER, NOTES, "800 字", "第2版 城市"):
        expect(brief).to_contain_text(words)
    # Their own byline is on it already.
    expect(reporter.locator("#bylines-group")).to_contain_text("林晓")
    reporter.screenshot(path=artifacts / "desk-3-draft-with-its-brief.png", full_page=True)

    # Approved, it is offered for the page it was planned for.
    draft = Assignment.objects.get(topic=TOPIC).article
    Article.objects.filter(pk=draft.pk).update(status="approved")
    editor.goto(f"{live_server.url}/admin/articles/edition/{edition.pk}/planner/")
    chosen = editor.locator(f"#nr-page-{draft.pk}")
    expect(chosen).to_have_value(str(edition.pages.get(number=2).pk))
    editor.screenshot(path=artifacts / "desk-4-planner-offers-the-planned-page.png")


def planning_page_with_pdf(people):
    """Tomorrow's 第1版 being planned, with the demo's copy and PDF, its zones located."""
    edition = EditionFactory(
        date=timezone.localdate() + datetime.timedelta(days=1), number=6126, status="planning"
    )
    page = PageFactory(edition=edition, number=1, name="要闻", editor=people["editor"].person)
    items, pdf = demo_page(1)
    for position, item in enumerate(items, start=1):
        Article.objects.create(
            kind="photo" if item.kind == "photo" else "news",
            kicker=item.kicker,
            headline=item.headline or "图片新闻",
            subheadline=item.subheadline,
            source=item.source,
            body="\n\n".join(item.paragraphs),
            status=Article.Status.APPROVED,
            page=page,
            position=position,
        )
    epaper_pages.attach_pdf(page, pdf, user=people["editor"])
    return page


@pytest.mark.django_db(transaction=True)
def test_an_editor_draws_a_zone_and_a_reader_clicks_it(
    live_server, people, open_browser, artifacts
):
    page = planning_page_with_pdf(people)
    # The article the text layer missed: it has no zone.
    missed = page.articles.order_by("position").last()
    ArticleZone.objects.filter(article=missed).delete()

    editor = open_browser()
    log_in(editor, live_server, "editor", "苏文")
    editor.goto(f"{live_server.url}/admin/articles/page/{page.pk}/change/")
    facsimile = editor.locator("[data-zone-editor]")
    expect(facsimile.locator(".nr-zonebox")).to_have_count(page.zones.count())
    editor.get_by_label("为此稿件画热区").select_option(str(missed.pk))
    editor.get_by_role("button", name="画新热区").click()
    # The whole page picture in the window, to draw on its lower half.
    picture = facsimile.locator("img")
    editor.evaluate(
        "el => window.scrollBy(0, el.getBoundingClientRect().top - 10)", picture.element_handle()
    )
    box = picture.bounding_box()
    editor.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.6)
    editor.mouse.down()
    editor.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7, steps=5)
    editor.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8, steps=5)
    editor.mouse.up()
    drawn = facsimile.locator(".nr-zonebox", has_text=missed.headline[:6])
    expect(drawn).to_be_focused()
    # The keyboard moves it: two steps right (1 % of the page).
    editor.keyboard.press("ArrowRight")
    editor.keyboard.press("ArrowRight")
    editor.screenshot(path=artifacts / "zone-1-drawn.png", full_page=True)
    editor.get_by_role("button", name="保存并继续编辑").click()
    expect_message(editor, "已保存")
    zone = ArticleZone.objects.get(article=missed)
    assert zone.is_manual
    assert zone.left == pytest.approx(0.11, abs=0.02)
    assert zone.top == pytest.approx(0.6, abs=0.02)
    assert zone.width == pytest.approx(0.4, abs=0.02)
    assert zone.height == pytest.approx(0.2, abs=0.02)
    editor.screenshot(path=artifacts / "zone-2-saved.png", full_page=True)

    # The edition comes out (as the chief would publish it); a reader clicks the zone.
    now = timezone.now()
    Edition.objects.filter(pk=page.edition_id).update(status="published", published_at=now)
    Article.objects.filter(page=page).update(status="published", published_at=now)
    reader = open_browser(phone=True)
    reader.goto(f"{live_server.url}{page.get_absolute_url()}")
    # On a phone the printed page is within the first screen.
    top = reader.locator(".facsimile-img").bounding_box()["y"]
    assert top < 812, top
    reader.screenshot(path=artifacts / "zone-3-reader-page.png")
    reader.locator(f"a#zone-{missed.pk}").click()
    expect(reader).to_have_url(f"{live_server.url}{missed.get_absolute_url()}")
    reader.screenshot(path=artifacts / "zone-4-reader-article.png")


CRAWLED = ("reporter", "correspondent", "photographer", "editor", "deskhead", "chief")
# What a person reads of a page as the browser shows it, and what a screen reader says.
VISIBLE_TEXT = """() => {
  const parts = [document.body.innerText];
  for (const el of document.querySelectorAll("[title], [placeholder], [aria-label], img[alt]")) {
    for (const name of ["title", "placeholder", "aria-label", "alt"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join(" ");
}"""


@pytest.mark.django_db(transaction=True)
def test_every_role_reads_the_newsroom_in_chinese(live_server, settings, open_browser, artifacts):
    from django.contrib.auth import get_user_model

    from articles.demo import load_demo
    from articles.models import FeeRules, Section
    from tests.production.conftest import restore_roles

    settings.DEBUG = True  # the demo's known passwords
    restore_roles()
    # The one row of fee rules is a migration's, emptied by an earlier transactional test.
    if not FeeRules.objects.exists():
        FeeRules.objects.create()
    load_demo()
    data = set(get_user_model().objects.values_list("username", flat=True))
    data |= set(Section.objects.values_list("slug", flat=True))
    found, visited = {}, {}
    for username in CRAWLED:
        browser = open_browser()
        log_in(browser, live_server, username, "", password=f"{username}-demo")
        browser.goto(f"{live_server.url}/admin/")
        links = browser.eval_on_selector_all(
            "#content-main a[href^='/admin/'], #nav-sidebar a[href^='/admin/']",
            "links => links.map(a => a.getAttribute('href'))",
        )
        urls = ["/admin/", *dict.fromkeys(u for u in links if "logout" not in u)]
        visited[username] = len(urls)
        for number, url in enumerate(urls):
            browser.goto(f"{live_server.url}{url}")
            for word in foreign_words(browser.evaluate(VISIBLE_TEXT), data):
                found.setdefault(word, f"{url} ({username})")
            if number == 0:
                browser.screenshot(path=artifacts / f"chinese-{username}-workbench.png")
            # And the first object of each list, as its form or page shows it.
            first = browser.locator("#result_list tbody tr a[href^='/admin/']").first
            if len(url.split("?")[0].strip("/").split("/")) == 3 and first.count():
                urls.append(first.get_attribute("href"))
    assert all(count >= 8 for count in visited.values()), visited  # lists, forms, the 工作台
    assert found == {}, "\n".join(f"{w}: {where}" for w, where in sorted(found.items()))
