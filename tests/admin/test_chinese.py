"""The newsroom's screens speak Chinese: every admin page of the door audit, as every role.

Each role opens every page of the admin it may open, on objects in every
state (the door audit's world), in zh-hans; the visible text (and what a
screen reader or a hover says: title, placeholder, aria-label, alt, button
values) must hold no English word and no raw code, beyond the proper nouns
and abbreviations of ALLOWED and the world's own data (usernames, e-mail
addresses). A door of the audit that this crawl does not know fails it, so a
new page is read in Chinese too.
"""

import datetime
import json
import re

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.models import Notification, PageImport, Section
from tests.admin.test_doors import DOORS, ROLES, Fees, World, objects, with_pdf

pytestmark = pytest.mark.django_db

# Proper nouns, abbreviations and formats the newsroom writes in Latin letters.
ALLOWED = {
    "PDF",
    "RSS",
    "API",
    "URL",
    "ID",
    "IP",
    "JSON",
    "Excel",
    "xlsx",
    "txt",
    "csv",
    "CSV",
    "WebP",
    "HTML",
    "SVG",
    "Django",
    "CSP",
    "SEO",
    "Open",
    "Graph",  # Open Graph
    "ninjs",
    "UTC",
    "AM",
    "PM",
    "CST",
    "UTF-8",
    "JPEG",
    "PNG",
    "GIF",
    # Keys by the names printed on them: 按住 Ctrl 键（Mac 上为 Command 键）, Tab 键…
    "Ctrl",
    "Tab",
    "Shift",
    "Delete",
    "Enter",
    "Mac",
    "Command",
    "LDAP",
    "ICP",  # ICP 备案
    "http",
    "https",
    "mailto",
}
# Model views every model of the audit has, by the object states its table lists.
MODEL_VIEWS = ("change", "history", "delete")
# Doors that only take a POST (or answer with a file): a step, not a page to read.
NOT_PAGES = {
    "articles_article_workflow",
    # Autosave and presence answer the form's script in JSON (tests/admin/test_sessions_and_presence.py).
    "articles_article_working_copy",
    "articles_article_add_working_copy",
    "articles_article_presence",
    "articles_article_restore",
    "articles_article_comment",
    "articles_notification_open",
    "articles_notification_read",
    "articles_page_file",
    "articles_page_relocate",
    "articles_wordlist_check",
    "articles_wordlist_import",
    "articles_wordlist_export",
    "articles_wordverification_verify",
    "articles_feemonth_export",
    "articles_feemonth_adjust",
    "articles_feemonth_approve",
    "articles_feemonth_compute",
    "articles_feerules_changelist",  # a redirect to the one page of rules
    "articles_page_pdf_job",  # JSON: the page form's progress, shown by the form
    "articles_page_retry_pdf",  # POST only
    "autocomplete",
    "view_on_site",
    "jsi18n",
    "logout",
    # django-tasks' records: the superuser's, Django's own English model of a job.
    *(f"django_tasks_database_dbtaskresult_{v}" for v in ("changelist", "add", "change")),
    *(f"django_tasks_database_dbtaskresult_{v}" for v in ("history", "delete")),
}
# Where a model's door finds its objects in the door audit's world.
MODEL_KEYS = {
    "articles_article": "article",
    "media_photo": "photo",
    "people_person": "person",
    "articles_edition": "edition",
    "articles_page": "page",
    "articles_section": "section",
    "taggit_tag": "tag",
    "articles_transitionlog": "log",
    "articles_assignment": "assignment",
    "articles_sitesettings": "site",
    "auth_user": "user",
    "auth_group": "group",
    "articles_wordlist": "wordlist",
    "articles_wordentry": "wordentry",
    "articles_feerules": "feerules",
}
AXES = ("accessattempt", "accesslog", "accessfailurelog")

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-_.][A-Za-z0-9_]+)*")
EMAIL = re.compile(r"\S+@\S+")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def visible_text(html):
    """What a person reads (or hears) of an admin page."""
    doc = lxml.html.fromstring(html)
    # The password's hash summary is the account's data, not words.
    hidden = "//script|//style|//noscript|//template|//head|//*[@id='id_password']//bdi"
    for element in doc.xpath(hidden):
        element.drop_tree()
    parts = [" ".join(doc.itertext())]
    for name in ATTRIBUTES:
        parts += doc.xpath(f"//@{name}")
    parts += doc.xpath("//input[@type='submit' or @type='button']/@value")
    return " ".join(parts)


# Addresses, paths and files: /about/, https://…, photos/2026/12/….jpg.
ADDRESS = re.compile(r"\S*/\S*")


def foreign_words(text, data=()):
    """The words of text in Latin letters that are neither allowed nor the world's data."""
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    text = ADDRESS.sub(" ", EMAIL.sub(" ", text))
    # Case aside: a browser's innerText applies text-transform (EXCEL for Excel).
    allowed = {word.casefold() for word in ALLOWED}
    return {w for w in WORD.findall(text) if w.casefold() not in allowed}


def data_of(world):
    """What the world holds that people typed: usernames, slugs, the headlines and
    captions of the door audit named after their states, the login records' agents."""
    User = get_user_model()
    data = set(User.objects.values_list("username", flat=True))
    data |= set(Section.objects.values_list("slug", flat=True))
    data |= {f"{state}稿件" for state in world.articles}
    data |= {f"{state}选题" for state in world.assignments}
    data |= {f"{state}图片说明。" for state in world.photos}
    data |= {f"{role}的稿件" for role in ROLES}
    data |= {"test", "<unknown>"}  # the login records' user agents
    return data


def context(text, word):
    at = re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)
    start = at.start() if at else 0
    return " ".join(text[max(0, start - 30) : start + len(word) + 30].split())


def urls_of(world, door):
    """The GET addresses of one door of the audit, on every object its table lists."""
    if door in NOT_PAGES:
        return []
    name = f"admin:{door}"
    for prefix, key in MODEL_KEYS.items():
        if door.startswith(prefix + "_"):
            view = door[len(prefix) + 1 :]
            if view in ("changelist", "add"):
                return [reverse(name)]
            if view in MODEL_VIEWS:
                kind = objects(key)
                return [reverse(name, args=[kind.get(world, s).pk]) for s in kind.access]
    for model in AXES:
        if door.startswith(f"axes_{model}_"):
            view = door.rsplit("_", 1)[1]
            if view in ("changelist", "add"):
                return [reverse(name)]
            return [reverse(name, args=[world.records[model].pk])]
    special = {
        "articles_article_revisions": lambda: [
            reverse(name, args=[a.pk]) for a in world.articles.values()
        ],
        "articles_article_preview": lambda: [],  # POST: the preview test reads it
        "articles_article_add_preview": lambda: [],
        "articles_edition_planner": lambda: [
            reverse(name, args=[e.pk]) for e in world.editions.values()
        ],
        "articles_notification_changelist": lambda: [reverse(name)],
        "articles_notification_settings": lambda: [reverse(name)],
        "articles_deskqueue_changelist": lambda: [reverse(name)],
        "articles_page_import": lambda: [reverse(name)],
        "articles_wordverification_changelist": lambda: [reverse(name)],
        "articles_feemonth_changelist": lambda: [reverse(name)],
        "articles_feemonth_statistics": lambda: [reverse(name)],
        "articles_feemonth_detail": lambda: [reverse(name, args=[world.fees.month.pk])],
        "articles_page_import_status": lambda: [reverse(name, args=[an_import(world).pk])],
        "media_photo_upload": lambda: [reverse(name)],
        "media_photo_describe": lambda: [
            f"{reverse(name)}?ids={','.join(str(p.pk) for p in world.photos.values())}"
        ],
        "auth_user_password_change": lambda: [reverse(name, args=[world.accounts["one"].pk])],
        "index": lambda: [reverse(name)],
        "login": lambda: [reverse(name)],
        "password_change": lambda: [reverse(name)],
        "password_change_done": lambda: [reverse(name)],
        "app_list": lambda: [reverse(name, args=["articles"])],
    }
    assert door in special, f"the Chinese crawl does not know the door {door}"
    return special[door]()


def an_import(world):
    """A page import as the editor asked for it, waiting for its job."""
    return PageImport.objects.create(
        text="标题\n\n本报讯 正文。\n",
        date=datetime.date(2026, 3, 1),
        number=3,
        requested_by=world.users["editor"],
    )


@pytest.fixture
def busy_world(people, superuser):
    """The door audit's world with what makes pages say more: notifications of every
    kind, a month of fees, a page with its PDF and zones."""
    world = World(people, superuser)
    world.fees = Fees(world)
    with_pdf(world)
    for kind in Notification.Kind:
        Notification.objects.create(
            recipient=world.users["reporter"],
            kind=kind,
            article=world.articles["returned"],
            actor=world.users["editor"],
            subject="退回稿件",
            level=1,
        )
    return world


def test_every_admin_page_reads_in_chinese_for_every_role(busy_world):
    world = busy_world
    found, data = {}, data_of(world)
    for door in sorted(DOORS):
        for url in urls_of(world, door):
            for role in ROLES:
                response = world.client(role).get(url, headers={"accept-language": "zh-hans"})
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                text = visible_text(response.content.decode())
                for word in foreign_words(text, data):
                    found.setdefault(word, f"{url} ({role}): …{context(text, word)}…")
    assert found == {}, "\n".join(f"{w}: {where}" for w, where in sorted(found.items()))


def test_the_login_protection_pages_read_in_chinese(client, settings, people):
    pages = [reverse("unlock-request"), reverse("admin:login")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert foreign_words(visible_text(response.content.decode())) == set(), url
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("admin:login"), {"username": "editor", "password": "x"})
    assert locked.status_code == 429
    assert foreign_words(visible_text(locked.content.decode()), {"editor"}) == set()


def test_revisions_name_the_kind_and_the_photos_not_their_codes(people):
    from articles.copy import revisions
    from articles.models import Article, ArticlePhoto
    from tests.factories import ArticleFactory, PhotoFactory

    editor = people["editor"]
    article = ArticleFactory(status="submitted", kind="news", created_by=people["reporter"])
    revisions.record(article, user=editor)
    photo = PhotoFactory(caption="市民在服务中心办事。")
    ArticlePhoto.objects.create(article=article, photo=photo)
    Article.objects.filter(pk=article.pk).update(kind="feature")
    revisions.record(Article.objects.get(pk=article.pk), user=editor)
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    text = visible_text(page.content.decode())
    assert "通讯" in text and "消息" in text
    assert "市民在服务中心办事。" in text
    assert f"#{photo.pk}" not in text and "feature" not in text


def test_the_log_filters_steps_and_states_by_name(people):
    client = Client()
    client.force_login(people["editor"])
    text = visible_text(
        client.get(reverse("admin:articles_transitionlog_changelist")).content.decode()
    )
    for name in ("提交", "退回", "签发期次", "导入时排入版面", "已签发", "草稿"):
        assert name in text


def test_the_admin_scripts_speak_chinese_too(admin_client):
    """The account pages' select boxes (组、权限) are drawn by Django's script, in its words."""
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert json.dumps("选中要添加的%s，再点击“选择”箭头。") in catalog
