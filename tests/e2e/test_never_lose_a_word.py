"""Never lose a word, see every change (issue 26), in a real browser.

A reporter types a new story, lets the login expire and saves: the page asks
for the password and saves, nothing lost. She types into a draft, closes the
tab and opens it again: the text is offered back and restored; typed and
closed at once, before the autosave's pause, it is still there. Two editors
open one piece and see each other by name. The editor changes the body of
submitted copy and the photographer adds a captioned picture to it; the
reporter sees both in 修改痕迹, each with its person's name.
"""

import re
import time
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from articles import workflow
from articles.copy import revisions
from articles.models import Article, ArticlePhoto
from newsroom.idle import LAST_SEEN
from tests.factories import ArticleFactory, BylineFactory, PhotoFactory

from .ui import PASSWORD, expect_message, log_in, pick, write

HEADLINE = "滨江公园新建儿童乐园"
BODY = "园内新建滑梯、秋千等设施。\n周末将向市民开放。"
TYPED = "市城管局表示，乐园每天早8点开放。"
CAPTION = "孩子们在新建的滑梯上玩耍。"
LAST_WORDS = "最后一句，来不及保存。"


def expire_login(page):
    """Let the person's session run idle past STAFF_IDLE_MINUTES, as a long lunch would."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[LAST_SEEN] = int(time.time()) - settings.STAFF_IDLE_MINUTES * 60 - 60
    session.save()


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


@pytest.mark.django_db(transaction=True)
def test_an_expired_login_and_a_closed_tab_lose_nothing(live_server, people, open_browser):
    page = open_browser()
    log_in(page, live_server, "reporter", "林晓")
    # A new story typed, then lunch: the login expires before 保存.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    write(page.get_by_label("主标题"), HEADLINE)
    write(page.get_by_label("正文"), BODY)
    expire_login(page)
    page.get_by_role("button", name="保存", exact=True).click()
    dialog = page.locator("#nr-reauth")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("登录已过期")
    dialog.get_by_label("密码").fill(PASSWORD)
    dialog.get_by_role("button", name="登录并保存").click()
    expect(page.locator("ul.messagelist .success")).to_contain_text(HEADLINE)
    story = Article.objects.get(headline=HEADLINE)
    assert story.paragraphs == BODY.splitlines()

    # More typed into the draft; the tab is closed before it is saved.
    page.goto(change_url(live_server, story))
    body = page.get_by_label("正文")
    body.click()
    body.press("Control+End")
    page.keyboard.insert_text("\n" + TYPED)
    expect(page.locator("#nr-autosave")).to_contain_text("已自动保存")
    browser = page.context
    page.close()

    # Opened again in a new tab: the text is offered back, with what changed.
    page = browser.new_page()
    page.goto(change_url(live_server, story))
    offer = page.locator("#nr-working")
    expect(offer).to_contain_text("尚未保存")
    restore = page.get_by_role("button", name=re.compile(r"^恢复 \d\d:\d\d 未保存的内容$"))
    restore.click()
    expect(offer).to_be_hidden()
    expect(page.get_by_label("正文")).to_have_value(re.compile(TYPED))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("ul.messagelist .success")).to_contain_text(HEADLINE)
    assert Article.objects.get(pk=story.pk).paragraphs[-1] == TYPED

    # Typed and closed at once, before the autosave's pause: the page sends it as it goes.
    page.goto(change_url(live_server, story))
    body = page.get_by_label("正文")
    body.click()
    body.press("Control+End")
    page.keyboard.insert_text("\n" + LAST_WORDS)
    page.close()
    page = browser.new_page()
    page.goto(change_url(live_server, story))
    expect(page.locator("#nr-working")).to_contain_text(LAST_WORDS)


@pytest.mark.django_db(transaction=True)
def test_two_editors_see_each_other_and_the_reporter_sees_what_the_desk_changed(
    live_server, people, open_browser
):
    story = ArticleFactory(status="draft", created_by=people["reporter"], headline=HEADLINE)
    story.body = BODY
    Article.objects.filter(pk=story.pk).update(body=BODY)
    BylineFactory(article=story, person=people["reporter"].person)
    revisions.record(Article.objects.get(pk=story.pk), user=people["reporter"])
    story = workflow.transition(story, "submit", user=people["reporter"])
    photo = PhotoFactory(caption="儿童乐园全景。", created_by=people["photographer"])

    editor = open_browser()
    log_in(editor, live_server, "editor", "苏文")
    editor.goto(change_url(live_server, story))
    desk_head = open_browser()
    log_in(desk_head, live_server, "deskhead", "何静")
    desk_head.goto(change_url(live_server, story))
    expect(desk_head.locator("#nr-presence")).to_contain_text("苏文正在编辑")
    editor.reload()
    expect(editor.locator("#nr-presence")).to_contain_text("何静正在编辑")
    # Taking over is explicit, and the other is told.
    with desk_head.expect_response(lambda response: "/presence/" in response.url):
        desk_head.get_by_role("button", name="接手编辑").click()
    editor.reload()
    expect(editor.locator("#nr-presence")).to_contain_text("何静已接手这篇稿件")
    desk_head.goto(f"{live_server.url}/admin/articles/deskqueue/")
    expect(desk_head.locator("#result_list")).to_contain_text("苏文正在编辑")

    # The editor changes 市城管局's way of putting it in the second paragraph, and saves.
    body = editor.get_by_label("正文")
    body.fill(BODY.replace("周末将向市民开放。", "本周六起向市民开放。"))
    editor.get_by_role("button", name="保存并继续编辑").click()
    expect_message(editor, HEADLINE)

    # The photographer adds a captioned picture, the copy staying on the desk.
    photographer = open_browser()
    log_in(photographer, live_server, "photo", "陈光")
    photographer.goto(change_url(live_server, story))
    photographer.get_by_role("button", name="添加稿件图片").click()
    pick(photographer, "id_article_photos-0-photo", "儿童乐园全景")
    write(photographer.locator("#id_article_photos-0-caption"), CAPTION)
    photographer.get_by_role("button", name="保存并继续编辑").click()
    expect_message(photographer, HEADLINE)
    assert Article.objects.get(pk=story.pk).status == "submitted"
    assert ArticlePhoto.objects.get(article=story).caption == CAPTION
    assert ArticlePhoto.objects.get(article=story).photo == photo

    reporter = open_browser()
    log_in(reporter, live_server, "reporter", "林晓")
    reporter.goto(change_url(live_server, story))
    tracked = reporter.locator("#tracked")
    expect(tracked).to_contain_text("修改痕迹")
    expect(tracked.locator(".nr-ed-0")).to_contain_text("苏文修改了正文第2段")
    expect(tracked.locator(".nr-ed-1")).to_contain_text(f"陈光添加了图片“{CAPTION}”")
    expect(tracked).not_to_contain_text("editor")
    # The filer reads the revisions of their own copy, in the admin's look.
    reporter.get_by_role("link", name="修订记录与对比").click()
    expect(reporter.locator("#user-tools")).to_contain_text("林晓")
    expect(reporter.locator(".nr-revisions")).to_contain_text("六起")
    expect(reporter.locator(".nr-revisions")).to_contain_text("消息")  # the kind by its name
