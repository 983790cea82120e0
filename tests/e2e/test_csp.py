"""The site and the admin in a real browser under the Content Security Policy.

Debian's Chromium (the session's browser from conftest.py), driven by
Playwright, opens the public pages and works the admin: the login form, the
article form with its select2 autocompletes (tags typed and looked up,
bylines added), the article list, the edition planner, the photo upload.
Any CSP violation, console error, page error or failed request fails the
test: what the policy blocks is broken for readers and editors.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from articles.demo import load_demo
from articles.models import Article, Edition
from tests.production.conftest import restore_roles

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# make e2e installs Chromium first (make browser-deps), so nothing is skipped.
pytestmark = pytest.mark.django_db(transaction=True)

# Collects what the browser reports; installed before any script of the page runs.
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__problems.push(`CSP ${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                         `at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A page that records every CSP violation, console error, page error and failed request."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context(locale="zh-CN")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.problems = []
        self.page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"console: {m.text} {m.location}"),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}")
        )
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"),
        )

    def visit(self, path):
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response.status == 200, (path, response.status)
        self.collect(path)
        return self.page

    def collect(self, where):
        self.page.wait_for_load_state("networkidle")
        found = self.page.evaluate("window.__problems.splice(0)")
        self.problems += [f"{where}: {p}" for p in found]

    def close(self):
        self.context.close()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo's known passwords; the live server ignores DEBUG
    restore_roles()
    load_demo()
    return Edition.objects.get()


def public_paths(edition):
    article = Article.objects.published().filter(article_photos__isnull=False).first()
    person = article.bylines.first().person
    tag = article.tags.first()
    return [
        reverse("articles:home"),
        reverse("articles:edition-archive"),
        edition.get_absolute_url(),
        reverse("articles:edition-page", args=[edition.date, 1]),
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:tag", args=[tag.slug]),
        person.get_absolute_url(),
        reverse("articles:search") + "?q=学校",
    ]


def test_public_pages_load_with_no_blocked_resource(browser, live_server, demo):
    watched = Watched(browser, live_server.url)
    try:
        for path in public_paths(demo):
            page = watched.visit(path)
            assert page.locator("link[rel=stylesheet]").count() >= 1
            # The stylesheet applied: the header is laid out by site.css, not the default.
            assert (
                page.evaluate("getComputedStyle(document.querySelector('.site-header')).display")
                != "inline"
            )
        # The JSON-LD is a data block, not a script: present, and not counted as a violation.
        article = Article.objects.published().filter(article_photos__isnull=False).first()
        page = watched.visit(article.get_absolute_url())
        assert page.locator('script[type="application/ld+json"]').count() == 1
        assert page.evaluate(
            "document.images.length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
    finally:
        watched.close()
    assert watched.problems == []


def test_the_admin_works_under_the_policy_login_autocomplete_planner_upload(
    browser, live_server, demo
):
    watched = Watched(browser, live_server.url)
    page = watched.page
    try:
        page = watched.visit(reverse("admin:login"))
        page.fill("#id_username", "admin")
        page.fill("#id_password", "admin-demo")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        watched.collect("login")

        article = Article.objects.published().filter(tags__isnull=False).first()
        page = watched.visit(reverse("admin:articles_article_change", args=[article.pk]))
        # select2 has turned the tag field into its widget (scripts ran)...
        tags = page.locator(".field-tags .select2-container")
        assert tags.count() == 1
        # ...which looks tags up as one types, through the admin's autocomplete view.
        tags.click()
        with page.expect_response(lambda r: "/admin/autocomplete/" in r.url) as lookup:
            page.keyboard.type("学")
        assert lookup.value.status == 200
        page.locator(".select2-results__option").first.wait_for()
        page.keyboard.press("Escape")
        # A new byline row gets its own person autocomplete (inlines.js and select2 again).
        page.click("#bylines-group .add-row a")
        assert page.locator("#bylines-group .select2-container").count() >= 2
        # 审校 as one types (static/newsroom/wordcheck.js): a fetch to the admin's check.
        with page.expect_response(lambda r: "/admin/articles/wordlist/check/" in r.url) as check:
            page.locator("#id_body").press("End")
            page.keyboard.type("请按装")
        assert check.value.status == 200
        page.locator("#id_body-wordcheck mark.nr-hit--fix").wait_for()
        watched.collect("article form")

        watched.visit(reverse("admin:articles_article_changelist"))
        watched.visit(reverse("admin:articles_edition_planner", args=[demo.pk]))
        watched.visit(reverse("admin:articles_edition_change", args=[demo.pk]))
        watched.visit(reverse("admin:articles_article_add"))
        watched.visit(reverse("admin:media_photo_upload"))
        watched.visit(reverse("admin:articles_deskqueue_changelist"))
        # 发稿统计 with its SVG charts, 稿费, the word lists.
        watched.visit(reverse("admin:articles_feemonth_statistics"))
        watched.visit(reverse("admin:articles_feemonth_changelist"))
        watched.visit(reverse("admin:articles_wordlist_changelist"))
    finally:
        watched.close()
    assert watched.problems == []
