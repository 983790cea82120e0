"""The door audit: every admin URL, for every role, on objects in every state.

The rules live in articles.permissions and articles.services; the tables here
say them again, independently, as the newsroom expects them, and every door
of the admin is tried against them: a GET as each role, and the POST a
crafted request would send (the whole form as an editor sees it, with one
field changed). DOORS names every URL of the admin; a new admin class, inline
or custom view whose URL is not in it fails test_every_door_is_in_the_table.

Letters: E the role changes it, V sees it read-only, R sees an open form but
the write path refuses the change, - does not see it.
"""

import datetime
import io
import json
import re
from decimal import Decimal
from functools import partial

import lxml.html
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, reverse
from django.utils import timezone
from taggit.models import Tag

from articles.copy import revisions
from articles.epaper import pages as epaper_pages
from articles.models import (
    Article,
    ArticlePhoto,
    Assignment,
    Comment,
    Edition,
    FeeAdjustment,
    FeeLine,
    FeeMonth,
    FeeRules,
    Notification,
    NotificationSettings,
    Page,
    PageImport,
    Section,
    SiteSettings,
    TransitionLog,
    WordEntry,
    WordList,
    WordVerification,
    WorkingCopy,
)
from newsroom.models import JobState
from tests.epaper.composing import demo_page
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "reporter",
    "correspondent",
    "photographer",
    "editor",
    "desk_head",
    "chief",
    "nobody",
    "superuser",
)


def row(letters):
    """'E - V …' in ROLES order → {role: letter}."""
    values = letters.split()
    assert len(values) == len(ROLES), letters
    return dict(zip(ROLES, values, strict=True))


def table(rows):
    return {state: row(letters) for state, letters in rows.items()}


# Copy filed by the reporter, in each state.   rep cor pho edi dsk chf nob sup
ARTICLE = table(
    {
        "draft": "                              E   -   -   V   V   V   -   E",
        "returned": "                           E   -   -   V   V   V   -   E",
        "submitted": "                          V   -   R   E   E   E   -   E",
        "approved": "                           V   -   R   E   E   E   -   E",
        "signed_off": "                         V   -   V   V   V   V   -   V",
        "published": "                          V   -   -   E   E   E   -   E",
        "spiked": "                             V   -   -   V   V   V   -   V",
        "withdrawn": "                          V   -   -   V   V   V   -   V",
    }
)
# Photos: the photographer's own, a colleague's, and the photographer's on
# published and on signed-off copy.            rep cor pho edi dsk chf nob sup
PHOTO = table(
    {
        "own": "                                V   V   E   E   E   E   -   E",
        "others": "                             V   V   V   E   E   E   -   E",
        "published": "                          V   V   R   E   E   E   -   E",
        "signed_off": "                         V   V   R   R   R   R   -   R",
    }
)
#                                              rep cor pho edi dsk chf nob sup
PERSON = table({"plain": "                       V   V   V   E   E   E   -   E"})
EDITION = table(
    {
        "planning": "                           -   -   -   E   E   E   -   E",
        "signed_off": "                         -   -   -   V   V   V   -   V",
        "published": "                          -   -   -   V   V   V   -   V",
    }
)
PAGE = EDITION
SECTION = table({"one": "                       V   V   V   E   E   E   -   E"})
TAG = table({"one": "                           V   V   V   E   E   E   -   E"})
LOG = table({"one": "                           -   -   -   V   V   V   -   V"})
# Stories proposed by the reporter (proposed, declined) or assigned to them by
# the desk, with the photographer (accepted), or filed.
ASSIGNMENT = table(
    {
        "proposed": "                           E   -   -   E   E   E   -   E",
        # Proposed by a colleague, with the reporter named to write it too.
        "proposed_by_colleague": "              V   -   -   E   E   E   -   E",
        "accepted": "                           V   -   V   E   E   E   -   E",
        "declined": "                           V   -   -   V   V   V   -   V",
        "filed": "                              V   -   -   V   V   V   -   V",
    }
)
SITE = table({"one": "                          -   -   -   -   -   E   -   E"})
# 审校: the lists and their entries are kept by the desk heads and the chief; editors read them.
WORDLIST = table({"one": "                      -   -   -   V   E   E   -   E"})
WORDENTRY = WORDLIST
# 稿费: the chief sets the rules; the desk heads read them.
FEERULES = table({"one": "                      -   -   -   -   V   E   -   E"})
ACCOUNTS = table({"one": "                      -   -   -   -   -   -   -   E"})
AXES = table({"one": "                          -   -   -   -   -   -   -   V"})

# Who may delete what (never published copy, unused photos, empty pages …).
DELETE = {
    "article": {("superuser", "draft")},
    "photo": {
        (r, s) for r in ("editor", "desk_head", "chief", "superuser") for s in ("own", "others")
    },
    "person": {(r, "plain") for r in ("editor", "desk_head", "chief", "superuser")},
    "edition": {("superuser", "planning")},
    "page": {(r, "planning") for r in ("editor", "desk_head", "chief", "superuser")},
    "section": {(r, "one") for r in ("editor", "desk_head", "chief", "superuser")},
    "tag": {(r, "one") for r in ("editor", "desk_head", "chief", "superuser")},
    "log": set(),
    "assignment": {
        ("reporter", "proposed"),
        ("superuser", "proposed"),
        ("superuser", "proposed_by_colleague"),
    },
    "site": set(),
    "user": {("superuser", "one")},
    "group": {("superuser", "one")},
    "wordlist": {("chief", "one"), ("superuser", "one")},
    "wordentry": {(r, "one") for r in ("desk_head", "chief", "superuser")},
}
# Lists, add pages and the pages of their own: who gets in.
EVERY_ROLE = set(ROLES) - {"nobody"}
DESK = {"editor", "desk_head", "chief", "superuser"}
FILERS = {"reporter", "correspondent", *DESK}
# Who adds photos: photographers and the desk, and reporters and
# correspondents, who upload theirs from the article's form.
PHOTO_FILERS = {"photographer", *FILERS}


# --- the newsroom, with something in every state -------------------------------------


class World:
    def __init__(self, people, superuser):
        self.users = {**people, "superuser": superuser}
        self.clients = {}
        reporter, photographer = people["reporter"], people["photographer"]
        ago = timezone.now() - datetime.timedelta(hours=2)
        self.editions = {
            "planning": EditionFactory(),
            "signed_off": EditionFactory(status=Edition.Status.SIGNED_OFF),
            "published": EditionFactory(status=Edition.Status.PUBLISHED, published_at=ago),
        }
        # An empty page in each edition, and one more with the copy placed on it.
        self.pages = {state: PageFactory(edition=e) for state, e in self.editions.items()}
        placed = {state: PageFactory(edition=e) for state, e in self.editions.items()}
        self.articles = {}
        for state in ARTICLE:
            status = {"signed_off": "approved"}.get(state, state)
            fields = {"status": status, "created_by": reporter, "headline": f"{state}稿件"}
            if state in ("published", "withdrawn"):
                fields.update(published_at=ago, page=placed["published"])
            if state == "withdrawn":
                fields["withdrawn_at"] = ago
            if state == "signed_off":
                fields["page"] = placed["signed_off"]
            article = ArticleFactory(**fields)
            BylineFactory(article=article, person=reporter.person)
            revisions.record(article, user=reporter)
            self.articles[state] = article
        self.photos = {}
        for state in PHOTO:
            owner = people["editor"] if state == "others" else photographer
            photo = PhotoFactory(created_by=owner, caption=f"{state}图片说明。")
            PhotoCreditFactory(photo=photo, person=owner.person)
            if state in ("published", "signed_off"):
                ArticlePhoto.objects.create(article=self.articles[state], photo=photo)
            self.photos[state] = photo
        self.people = {"plain": PersonFactory(name="路人甲")}
        self.sections = {"one": SectionFactory(name="要闻")}
        self.tags = {"one": Tag.objects.create(name="信访")}
        self.logs = {
            "one": TransitionLog.objects.create(
                article=self.articles["submitted"],
                action="submit",
                from_status="draft",
                to_status="submitted",
                actor=reporter,
            )
        }
        self.assignments = {}
        proposers = {"proposed": reporter, "declined": reporter}
        proposers["proposed_by_colleague"] = people["other_reporter"]
        for state in ASSIGNMENT:
            assignment = Assignment.objects.create(
                topic=f"{state}选题",
                status="proposed" if state == "proposed_by_colleague" else state,
                proposed_by=proposers.get(state, people["editor"]),
                photographer=photographer.person if state == "accepted" else None,
            )
            assignment.reporters.add(reporter.person)
            self.assignments[state] = assignment
        self.site = {"one": SiteSettings.objects.create(name="滨江日报")}
        self.accounts = {"one": people["other_reporter"]}
        self.groups = {"one": Group.objects.create(name="临时组")}
        self.wordlists = {"one": WordList.objects.create(name="错别字")}
        self.wordentries = {
            "one": WordEntry.objects.create(
                word_list=self.wordlists["one"],
                word="按装",
                key="按装",
                category="typo",
                severity="fix",
                replacement="安装",
            )
        }
        self.feerules = {"one": FeeRules.objects.get()}
        login = {"username": "editor", "ip_address": "10.0.0.1", "user_agent": "test"}
        self.records = {
            "accessattempt": AccessAttempt.objects.create(**login, failures_since_start=1),
            "accesslog": AccessLog.objects.create(**login),
            "accessfailurelog": AccessFailureLog.objects.create(**login),
        }
        # Every role logged in before anything is tried (and rolled back).
        for role in ROLES:
            self.client(role)

    def client(self, role):
        if role not in self.clients:
            client = Client()
            client.force_login(self.users[role])
            self.clients[role] = client
        return self.clients[role]


@pytest.fixture
def world(people, superuser):
    return World(people, superuser)


def attempt(client, url, data, probe):
    """Post data to url, return probe(), and undo whatever the post wrote.

    Every role tries the same world.
    """
    sid = transaction.savepoint()
    try:
        client.post(url, data)
        return probe()
    finally:
        transaction.savepoint_rollback(sid)


def exists(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


def form_values(client, url):
    """What the page's main form submits as it stands, as a browser would."""
    doc = lxml.html.fromstring(client.get(url).content.decode())
    form = next(f for f in doc.forms if f.get("id", "").endswith("_form"))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def status_of(response):
    if response.status_code == 200:
        return "edit" if 'name="_save"' in response.content.decode() else "view"
    return "none"


EXPECTED_GET = {"E": {"edit"}, "R": {"edit"}, "V": {"view"}, "-": {"none"}}


# --- what each kind of door is checked for ----------------------------------------------


def check_list(name, allowed):
    def check(world):
        url = reverse(f"admin:{name}")
        return [
            (role, got)
            for role in ROLES
            if (got := world.client(role).get(url).status_code) != (200 if role in allowed else 403)
        ]

    return check


def check_add(name, allowed):
    def check(world):
        url = reverse(f"admin:{name}")
        problems = []
        for role in ROLES:
            got = world.client(role).get(url).status_code
            if got != (200 if role in allowed else 403):
                problems.append((role, got))
        return problems

    return check


class Objects:
    """One model's objects by state, how a change to one shows, and its access table."""

    def __init__(self, key, objects, access, field, value, extra=None):
        self.key, self.objects, self.access = key, objects, access
        self.field, self.value, self.extra = field, value, extra or {}

    def get(self, world, state):
        return self.objects(world)[state]

    def changed(self, obj):
        fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
        return fresh is not None and getattr(fresh, self.field) == self.value


def objects(key):
    return {
        "article": Objects(
            "article",
            lambda w: w.articles,
            ARTICLE,
            "headline",
            "门卫改过的标题",
            {"correction": "更正：标题有误。"},
        ),
        "photo": Objects(
            "photo",
            lambda w: w.photos,
            PHOTO,
            "caption",
            "门卫改过的说明。",
            {"correction": "更正：图片说明有误。"},
        ),
        "person": Objects("person", lambda w: w.people, PERSON, "name", "改名"),
        "edition": Objects("edition", lambda w: w.editions, EDITION, "number", 9999),
        "page": Objects("page", lambda w: w.pages, PAGE, "name", "改版名"),
        "section": Objects("section", lambda w: w.sections, SECTION, "name", "改栏目"),
        "tag": Objects("tag", lambda w: w.tags, TAG, "name", "改标签"),
        "log": Objects("log", lambda w: w.logs, LOG, "note", "改日志"),
        "assignment": Objects(
            "assignment", lambda w: w.assignments, ASSIGNMENT, "topic", "门卫改的选题"
        ),
        "site": Objects("site", lambda w: w.site, SITE, "name", "改报名"),
        "user": Objects("user", lambda w: w.accounts, ACCOUNTS, "first_name", "改名"),
        "group": Objects("group", lambda w: w.groups, ACCOUNTS, "name", "改组名"),
        "wordlist": Objects("wordlist", lambda w: w.wordlists, WORDLIST, "name", "改名的词表"),
        "wordentry": Objects("wordentry", lambda w: w.wordentries, WORDENTRY, "note", "门卫的说明"),
        "feerules": Objects(
            "feerules", lambda w: w.feerules, FEERULES, "per_photo", Decimal("45.00")
        ),
    }[key]


def check_change(name, key):
    """GET shows the form editable, read-only or not at all; the crafted POST changes it or not."""

    def check(world):
        kind, problems = objects(key), []
        for state, expected in kind.access.items():
            obj = kind.get(world, state)
            url = reverse(f"admin:{name}", args=[obj.pk])
            data = form_values(world.client("superuser"), url)
            data.update({kind.field: [str(kind.value)], **{k: [v] for k, v in kind.extra.items()}})
            for role in ROLES:
                got = status_of(world.client(role).get(url))
                if got not in EXPECTED_GET[expected[role]]:
                    problems.append((state, role, "GET", got))
                changed = attempt(world.client(role), url, data, partial(kind.changed, obj))
                if changed != (expected[role] == "E"):
                    problems.append((state, role, "POST changed" if changed else "POST refused"))
        return problems

    return check


def check_history(name, key):
    def check(world):
        kind, problems = objects(key), []
        for state, expected in kind.access.items():
            url = reverse(f"admin:{name}", args=[kind.get(world, state).pk])
            for role in ROLES:
                seen = world.client(role).get(url).status_code == 200
                if seen != (expected[role] != "-"):
                    problems.append((state, role, seen))
        return problems

    return check


def check_delete(name, key):
    def check(world):
        kind, problems = objects(key), []
        for state in kind.access:
            obj = kind.get(world, state)
            url = reverse(f"admin:{name}", args=[obj.pk])
            for role in ROLES:
                gone = not attempt(world.client(role), url, {"post": "yes"}, partial(exists, obj))
                if gone != ((role, state) in DELETE[key]):
                    problems.append((state, role, "deleted" if gone else "kept"))
        return problems

    return check


def status_of_copy(article):
    return Article.objects.get(pk=article.pk).status


def check_workflow(world):
    """The panel's own view takes a desk step only for the desk, only where it applies."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_workflow", args=[article.pk])
        for role in ROLES:
            status = attempt(
                world.client(role), url, {"_workflow": "approve"}, partial(status_of_copy, article)
            )
            expected = "approved" if state == "submitted" and role in DESK else article.status
            if status != expected:
                problems.append((state, role, status))
    return problems


def comment_count(article):
    return Comment.objects.filter(article=article).count()


def check_comment(world):
    """A comment is posted by whoever may see the copy, on copy in any state."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_comment", args=[article.pk])
        for role in ROLES:
            count = attempt(
                world.client(role),
                url,
                {"_comment": "new", "comment_text": "门卫的批注。"},
                partial(comment_count, article),
            )
            if (count == 1) != (ARTICLE[state][role] != "-"):
                problems.append((state, role, count))
    return problems


def the_reporters_notification(world):
    return Notification.objects.create(
        recipient=world.users["reporter"],
        kind=Notification.Kind.RETURNED,
        article=world.articles["returned"],
        actor=world.users["editor"],
    )


def read_at(notification):
    return Notification.objects.get(pk=notification.pk).read_at


def check_notification_open(world):
    """Only its recipient opens a notification (and so marks it read)."""
    notification = the_reporters_notification(world)
    url = reverse("admin:articles_notification_open", args=[notification.pk])
    problems = []
    for role in ROLES:
        sid = transaction.savepoint()
        try:
            got = world.client(role).get(url).status_code
            opened = read_at(notification) is not None
        finally:
            transaction.savepoint_rollback(sid)
        if (got == 302) != (role == "reporter") or opened != (role == "reporter"):
            problems.append((role, got, opened))
    return problems


def check_notification_read(world):
    """Marking all read marks one's own only."""
    notification = the_reporters_notification(world)
    url = reverse("admin:articles_notification_read")
    problems = []
    for role in ROLES:
        read = attempt(world.client(role), url, {}, partial(read_at, notification))
        if (read is not None) != (role == "reporter"):
            problems.append(role)
    return problems


def email_setting(user):
    row = NotificationSettings.objects.filter(user=user).first()
    return row.email if row else True


def check_notification_settings(world):
    """Everyone turns their own e-mail off; nobody anyone else's."""
    url = reverse("admin:articles_notification_settings")
    problems = []
    for role in ROLES:
        if world.client(role).get(url).status_code != 200:
            problems.append((role, "GET"))
        for other in ROLES:
            email = attempt(world.client(role), url, {}, partial(email_setting, world.users[other]))
            if email != (other != role):
                problems.append((role, other, email))
    return problems


def check_preview(world):
    """The unsaved form is previewed by who may change the copy now, and nothing is kept."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_preview", args=[article.pk])
        data = form_values(world.client("superuser"), reverse(CHANGE, args=[article.pk]))
        data["headline"] = ["预览里的标题"]
        for role in ROLES:
            response = world.client(role).post(url, data)
            shown = response.status_code == 200 and "预览里的标题" in response.content.decode()
            if shown != (ARTICLE[state][role] == "E") or headline_of(article) == "预览里的标题":
                problems.append((state, role, response.status_code))
    return problems


def check_add_preview(world):
    """New copy is previewed by who may file it, and none is filed."""
    url = reverse("admin:articles_article_add_preview")
    data = form_values(world.client("superuser"), reverse("admin:articles_article_add"))
    data["headline"] = ["预览的新稿"]
    problems = []
    for role in ROLES:
        response = world.client(role).post(url, data)
        shown = response.status_code == 200 and "预览的新稿" in response.content.decode()
        if shown != (role in FILERS) or Article.objects.filter(headline="预览的新稿").exists():
            problems.append((role, response.status_code))
    return problems


def check_revisions(world):
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_revisions", args=[article.pk])
        for role in ROLES:
            seen = world.client(role).get(url).status_code == 200
            # The desk reads every piece's revisions; the filer (the reporter) their own.
            if seen != (role in DESK or role == "reporter"):
                problems.append((state, role, seen))
    return problems


def kept_working_copy(user, article):
    return WorkingCopy.objects.filter(owner=user, article=article).exists()


def check_working_copy(world):
    """Autosave keeps what is typed only for who may change the copy's words now."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_working_copy", args=[article.pk])
        for role in ROLES:
            user = world.users.get(role)
            kept = attempt(
                world.client(role),
                url,
                {"headline": "门卫打的字"},
                partial(kept_working_copy, user, article),
            )
            if kept != (ARTICLE[state][role] == "E"):
                problems.append((state, role, kept))
    return problems


def check_add_working_copy(world):
    url = reverse("admin:articles_article_add_working_copy")
    problems = []
    for role in ROLES:
        user = world.users.get(role)
        kept = attempt(
            world.client(role), url, {"body": "新稿的字"}, partial(kept_working_copy, user, None)
        )
        if kept != (role in FILERS):
            problems.append((role, kept))
    return problems


def check_presence(world):
    """The heartbeat answers whoever sees the copy, and no one else."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_presence", args=[article.pk])
        for role in ROLES:
            answered = world.client(role).post(url).status_code == 200
            if answered != (ARTICLE[state][role] != "-"):
                problems.append((state, role, answered))
    return problems


CHANGE = "admin:articles_article_change"


def headline_of(article):
    return Article.objects.get(pk=article.pk).headline


def check_restore(world):
    """Restoring revision 1 brings the old headline back only for who may change the copy now."""
    problems = []
    for state, article in world.articles.items():
        url = reverse("admin:articles_article_restore", args=[article.pk, 1])

        Article.objects.filter(pk=article.pk).update(headline="后来的标题")
        for role in ROLES:
            headline = attempt(
                world.client(role),
                url,
                {"correction": "更正：恢复原标题。"},
                partial(headline_of, article),
            )
            if (headline == article.headline) != (ARTICLE[state][role] == "E"):
                problems.append((state, role))
    return problems


def status_of_edition(edition):
    return Edition.objects.get(pk=edition.pk).status


def check_planner(world):
    problems = []
    for state, edition in world.editions.items():
        url = reverse("admin:articles_edition_planner", args=[edition.pk])
        for role in ROLES:
            seen = world.client(role).get(url).status_code == 200
            if seen != (role in DESK):
                problems.append((state, role, "GET", seen))
            reopened = attempt(
                world.client(role), url, {"action": "reopen"}, partial(status_of_edition, edition)
            )
            expected = (
                Edition.Status.PLANNING
                if state == "signed_off" and role in ("chief", "superuser")
                else edition.status
            )
            if reopened != expected:
                problems.append((state, role, "reopen", reopened))
    return problems


def check_describe(world):
    """The describe page lists (and so changes) only the photos the user may change."""
    url = reverse("admin:media_photo_describe")
    problems = []
    for state, photo in world.photos.items():
        for role in ROLES:
            response = world.client(role).get(url, {"ids": str(photo.pk)})
            listed = response.status_code == 200 and bool(
                re.search(rf'name="form-\d+-id" value="{photo.pk}"', response.content.decode())
            )
            if listed != (PHOTO[state][role] in "ER"):
                problems.append((state, role, "listed" if listed else "not listed"))
    return problems


def check_upload(world):
    url = reverse("admin:media_photo_upload")
    return [
        (role, got)
        for role in ROLES
        if (got := world.client(role).get(url).status_code)
        != (200 if role in PHOTO_FILERS else 403)
    ]


def check_autocomplete(world):
    """The article autocomplete (a photo's uses) offers only copy the user may see."""
    problems = []
    for role in ROLES:
        response = world.client(role).get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": "articlephoto", "field_name": "article"},
        )
        found = (
            {r["text"] for r in response.json()["results"]}
            if response.status_code == 200
            else set()
        )
        expected = {f"{state}稿件" for state, access in ARTICLE.items() if access[role] != "-"}
        if found != expected:
            problems.append((role, sorted(found ^ expected)))
    return problems


def check_password_change(world):
    url = reverse("admin:auth_user_password_change", args=[world.accounts["one"].pk])
    return [
        (role, got)
        for role in ROLES
        if (got := world.client(role).get(url).status_code) != (200 if role == "superuser" else 403)
    ]


def check_site_pages(name, *args):
    """Pages of the admin itself: every staff user gets an answer, never an error."""

    def check(world):
        url = reverse(f"admin:{name}", args=args)
        return [
            (role, got) for role in ROLES if (got := world.client(role).get(url).status_code) >= 500
        ]

    return check


def check_view_on_site(world):
    """The admin's shortcut to an object's public address answers, and shows nothing itself."""
    edition_type = ContentType.objects.get_for_model(Edition)
    problems = []
    for state, edition in world.editions.items():
        url = reverse("admin:view_on_site", args=[edition_type.pk, edition.pk])
        for role in ROLES:
            got = world.client(role).get(url).status_code
            if got not in (302, 404):
                problems.append((state, role, got))
    return problems


# Who reads and removes django-axes' records of failed logins: removing a
# login's failed attempts unlocks it (the desk head and the chief editor do).
RECORD_KEEPERS = {
    "accessattempt": {"superuser", "desk_head", "chief"},
    "accesslog": {"superuser"},
    "accessfailurelog": {"superuser"},
}


def check_records(name, view):
    """django-axes' login records: nobody adds them; their keepers read and remove them."""
    keepers = RECORD_KEEPERS[name]

    def check(world):
        problems = []
        record = world.records[name]
        for role in ROLES:
            if view == "add":
                got = world.client(role).get(reverse(f"admin:axes_{name}_add")).status_code
                if got != 403:
                    problems.append((role, got))
            elif view == "delete":
                url = reverse(f"admin:axes_{name}_delete", args=[record.pk])
                gone = not attempt(
                    world.client(role), url, {"post": "yes"}, partial(exists, record)
                )
                if gone != (role in keepers):
                    problems.append((role, gone))
            else:
                url = reverse(f"admin:axes_{name}_{view}", args=[record.pk])
                seen = world.client(role).get(url).status_code == 200
                if seen != (role in keepers):
                    problems.append((role, seen))
        return problems

    return check


def check_task_results(view):
    """Background jobs' records (django-tasks-db): the superuser reads them; nobody else does,
    and nobody adds, changes or removes one: a job changes only by running."""

    def check(world):
        from django_tasks_db.models import DBTaskResult

        from newsroom.tasks import probe

        job = DBTaskResult.objects.get(pk=probe.enqueue("door audit").id)
        name = f"admin:django_tasks_database_dbtaskresult_{view}"
        problems = []
        for role in ROLES:
            client = world.client(role)
            if view == "changelist":
                seen = client.get(reverse(name)).status_code == 200
                if seen != (role == "superuser"):
                    problems.append((role, seen))
            elif view == "add":
                if (got := client.get(reverse(name)).status_code) != 403:
                    problems.append((role, got))
            elif view == "delete":
                url = reverse(name, args=[job.pk])
                if not attempt(client, url, {"post": "yes"}, partial(exists, job)):
                    problems.append((role, "deleted"))
            else:
                seen = client.get(reverse(name, args=[job.pk])).status_code == 200
                if seen != (role == "superuser"):
                    problems.append((role, seen))
            if view == "change":
                before = DBTaskResult.objects.filter(pk=job.pk).values().get()
                client.post(reverse(name, args=[job.pk]), {"status": "SUCCESSFUL"})
                if DBTaskResult.objects.filter(pk=job.pk).values().get() != before:
                    problems.append((role, "changed"))
        return problems

    return check


def with_pdf(world):
    """The planning page, with the demo's 第1版 as its PDF and that page's copy on it."""
    items, pdf = demo_page(1)
    page = world.pages["planning"]
    for position, item in enumerate(items, start=1):
        ArticleFactory(
            headline=item.headline or "图片新闻",
            kind="photo" if item.kind == "photo" else "news",
            body="\n\n".join(item.paragraphs),
            status="approved",
            page=page,
            position=position,
        )
    epaper_pages.attach_pdf(page, pdf, user=world.users["editor"])
    page.refresh_from_db()
    return page


def check_page_file(world):
    """A page's PDF, whatever its edition's state, is the desk's to read."""
    page = with_pdf(world)
    url = reverse("admin:articles_page_file", args=[page.pk, "page.pdf"])
    return [
        (role, got)
        for role in ROLES
        if ((got := world.client(role).get(url).status_code) == 200) != (role in DESK)
    ]


def version_of(page):
    return Page.objects.get(pk=page.pk).version


def check_page_relocate(world):
    """Finding the articles again changes the page: only the desk, only while planning."""
    page = with_pdf(world)
    locked = world.pages["signed_off"]
    Page.objects.filter(pk=locked.pk).update(pdf=page.pdf.name, facsimile=page.facsimile)
    problems = []
    for state, target in (("planning", page), ("signed_off", locked)):
        url = reverse("admin:articles_page_relocate", args=[target.pk])
        before = version_of(target)
        for role in ROLES:
            moved = attempt(world.client(role), url, {}, partial(version_of, target)) != before
            if moved != (state == "planning" and role in DESK):
                problems.append((state, role, moved))
    return problems


def failed_pdf(world, state):
    """The page of an edition in state, its PDF's job failed (a PDF of two pages, say)."""
    page = world.pages[state]
    Page.objects.filter(pk=page.pk).update(
        pdf_pending="pages/failed/page.pdf",
        pdf_job=JobState.FAILED,
        pdf_job_error="此文件有 2 页",
        pdf_job_digest="0" * 64,
        pdf_job_by=world.users["editor"],
    )
    return page


def check_page_pdf_job(world):
    """Where a page's PDF job stands is the desk's to read, whatever the edition's state."""
    page = failed_pdf(world, "signed_off")
    url = reverse("admin:articles_page_pdf_job", args=[page.pk])
    problems = []
    for role in ROLES:
        response = world.client(role).get(url)
        seen = response.status_code == 200 and response.json()["state"] == "failed"
        if seen != (role in DESK):
            problems.append((role, response.status_code))
    return problems


def job_state(page):
    return Page.objects.get(pk=page.pk).pdf_job


def check_page_retry_pdf(world):
    """A failed PDF's job runs again for the desk only, only while the edition is planned."""
    problems = []
    for state in ("planning", "signed_off"):
        page = failed_pdf(world, state)
        url = reverse("admin:articles_page_retry_pdf", args=[page.pk])
        for role in ROLES:
            retried = attempt(world.client(role), url, {}, partial(job_state, page)) != "failed"
            if retried != (state == "planning" and role in DESK):
                problems.append((state, role, retried))
    return problems


def check_page_import_status(world):
    """A page import's progress and outcome are the desk's to read (it writes the desk's copy)."""
    row = PageImport.objects.create(
        text="标题\n\n本报讯 正文。\n",
        date=datetime.date(2026, 3, 1),
        number=3,
        requested_by=world.users["editor"],
    )
    url = reverse("admin:articles_page_import_status", args=[row.pk])
    return [
        (role, got)
        for role in ROLES
        if ((got := world.client(role).get(url).status_code) == 200) != (role in DESK)
    ]


# --- 审校 -----------------------------------------------------------------------------------

KEEPERS = {"desk_head", "chief", "superuser"}
CHECKERS = EVERY_ROLE  # whoever files, illustrates or works copy


def check_wordlist_live(world):
    """The article form's live check answers whoever files or works copy."""
    url = reverse("admin:articles_wordlist_check")
    body = json.dumps({"texts": {"id_body": "请按装好。"}})
    problems = []
    for role in ROLES:
        response = world.client(role).post(url, body, content_type="application/json")
        if (response.status_code == 200) != (role in CHECKERS):
            problems.append((role, response.status_code))
        elif response.status_code == 200 and not response.json()["hits"]["id_body"]:
            problems.append((role, "no hit"))
    return problems


def entry_count(word_list):
    return WordEntry.objects.filter(word_list=word_list).count()


def check_wordlist_import(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    word_list = world.wordlists["one"]
    url = reverse("admin:articles_wordlist_import", args=[word_list.pk])
    problems = []
    for role in ROLES:
        data = {
            "file": SimpleUploadedFile("list.txt", "既使\t错别字\t改正\t即使\n".encode()),
            "category": "typo",
            "severity": "fix",
        }
        count = attempt(world.client(role), url, data, partial(entry_count, word_list))
        if (count == 2) != (role in KEEPERS):
            problems.append((role, count))
    return problems


def check_wordlist_export(world):
    url = reverse("admin:articles_wordlist_export", args=[world.wordlists["one"].pk])
    return [
        (role, got)
        for role in ROLES
        if ((got := world.client(role).get(url, {"format": "xlsx"}).status_code) == 200)
        != (WORDLIST["one"][role] != "-")
    ]


def verification_count(article):
    return WordVerification.objects.filter(article=article).count()


def check_wordverification_verify(world):
    """A warning is verified by the desk's reviewers, a block by the chief; only copy in review."""
    WordEntry.objects.create(
        word_list=world.wordlists["one"],
        word="根治",
        key="根治",
        category="advertising",
        severity="block",
    )
    WordList.objects.filter(pk=world.wordlists["one"].pk).update(stamp=__import__("uuid").uuid4())
    problems = []
    for state, article in world.articles.items():
        Article.objects.filter(pk=article.pk).update(body="请及时按装，专治根治。")
        url = reverse("admin:articles_wordverification_verify", args=[article.pk])
        for key, allowed in (("按装", DESK), ("根治", {"chief", "superuser"})):
            for role in ROLES:
                count = attempt(
                    world.client(role),
                    url,
                    {"key": key, "reason": "门卫核实"},
                    partial(verification_count, article),
                )
                expected = state in ("submitted", "approved", "signed_off") and role in allowed
                if (count == 1) != expected:
                    problems.append((state, key, role, count))
    return problems


# --- 发稿统计 and 稿费 --------------------------------------------------------------------


class Fees:
    """A month with three lines: the reporter's (要闻, headed by the desk head), the
    correspondent's (要闻) and the photographer's (an unheaded section)."""

    def __init__(self, world):
        section = world.sections["one"]
        section.desk_heads.add(world.users["desk_head"].person)
        other = Section.objects.create(name="副刊", slug="fukan")
        self.month = FeeMonth.objects.create(month=datetime.date(2026, 11, 1))
        self.lines = {}
        for role, where in (
            ("reporter", section),
            ("correspondent", section),
            ("photographer", other),
        ):
            person = world.users[role].person
            self.lines[role] = FeeLine.objects.create(
                month=self.month,
                key=f"text:{role}",
                kind="text",
                person=person,
                person_name=person.name,
                headline=f"{role}的稿件",
                section=where,
                published_on=datetime.date(2026, 11, 10),
                article_kind="news",
                amount=Decimal("10.00"),
            )

    def seen_by(self, role):
        """The lines each role sees: the chief all, the desk head 要闻's, each their own."""
        if role in ("chief", "superuser"):
            return set(self.lines)
        if role == "desk_head":
            return {"reporter", "correspondent"}
        return {role} & set(self.lines)


def check_feemonth_detail(world):
    fees = Fees(world)
    url = reverse("admin:articles_feemonth_detail", args=[fees.month.pk])
    problems = []
    for role in ROLES:
        page = world.client(role).get(url).content.decode()
        seen = {r for r in fees.lines if f"{r}的稿件" in page}
        if seen != fees.seen_by(role):
            problems.append((role, sorted(seen)))
    return problems


def check_feemonth_export(world):
    from openpyxl import load_workbook

    fees = Fees(world)
    url = reverse("admin:articles_feemonth_export", args=[fees.month.pk])
    problems = []
    for role in ROLES:
        response = world.client(role).get(url)
        rows = list(
            load_workbook(io.BytesIO(response.content))["稿费明细"].iter_rows(values_only=True)
        )
        seen = {r for r in fees.lines if any(row[2] == f"{r}的稿件" for row in rows)}
        if seen != fees.seen_by(role):
            problems.append((role, sorted(seen)))
    return problems


def adjustments_of(line):
    return FeeAdjustment.objects.filter(line=line).count()


def check_feemonth_adjust(world):
    """A desk head adjusts the lines of the sections they head, the chief any, while open."""
    fees = Fees(world)
    problems = []
    for owner, line in fees.lines.items():
        url = reverse("admin:articles_feemonth_adjust", args=[line.pk])
        for role in ROLES:
            count = attempt(
                world.client(role),
                url,
                {"amount": "5.00", "reason": "门卫"},
                partial(adjustments_of, line),
            )
            allowed = role in ("chief", "superuser") or (
                role == "desk_head" and owner != "photographer"
            )
            if (count == 1) != allowed:
                problems.append((owner, role, count))
    return problems


def month_state(month):
    return FeeMonth.objects.get(pk=month.pk).status


def check_feemonth_approve(world):
    fees = Fees(world)
    url = reverse("admin:articles_feemonth_approve", args=[fees.month.pk])
    return [
        (role, state)
        for role in ROLES
        if (
            (state := attempt(world.client(role), url, {}, partial(month_state, fees.month)))
            == "locked"
        )
        != (role in ("chief", "superuser"))
    ]


def months_computed():
    return FeeMonth.objects.count()


def check_feemonth_compute(world):
    url = reverse("admin:articles_feemonth_compute")
    return [
        (role, count)
        for role in ROLES
        if ((count := attempt(world.client(role), url, {"month": "2026-10"}, months_computed)) == 1)
        != (role in KEEPERS)
    ]


def check_feerules_list(world):
    """The rules' list opens the one page of rules, for whoever may read them."""
    url = reverse("admin:articles_feerules_changelist")
    return [
        (role, got)
        for role in ROLES
        if ((got := world.client(role).get(url).status_code) == 302)
        != (FEERULES["one"][role] != "-")
    ]


def doors_of(app, model, key, *, lists, adds, add=True):
    name = f"{app}_{model}"
    doors = {
        f"{name}_changelist": check_list(f"{name}_changelist", lists),
        f"{name}_change": check_change(f"{name}_change", key),
        f"{name}_history": check_history(f"{name}_history", key),
        f"{name}_delete": check_delete(f"{name}_delete", key),
    }
    if add:
        doors[f"{name}_add"] = check_add(f"{name}_add", adds)
    return doors


DOORS = {
    **doors_of("articles", "article", "article", lists=EVERY_ROLE, adds=FILERS),
    "articles_article_workflow": check_workflow,
    "articles_article_revisions": check_revisions,
    "articles_article_working_copy": check_working_copy,
    "articles_article_add_working_copy": check_add_working_copy,
    "articles_article_presence": check_presence,
    "articles_article_restore": check_restore,
    "articles_article_comment": check_comment,
    "articles_article_preview": check_preview,
    "articles_article_add_preview": check_add_preview,
    "articles_notification_changelist": check_list("articles_notification_changelist", set(ROLES)),
    "articles_notification_open": check_notification_open,
    "articles_notification_read": check_notification_read,
    "articles_notification_settings": check_notification_settings,
    "articles_deskqueue_changelist": check_list("articles_deskqueue_changelist", DESK),
    **doors_of("articles", "edition", "edition", lists=DESK, adds=DESK),
    "articles_edition_planner": check_planner,
    **doors_of("articles", "page", "page", lists=DESK, adds=DESK),
    "articles_page_import": check_add("articles_page_import", DESK),
    "articles_page_import_status": check_page_import_status,
    "articles_page_file": check_page_file,
    "articles_page_relocate": check_page_relocate,
    "articles_page_pdf_job": check_page_pdf_job,
    "articles_page_retry_pdf": check_page_retry_pdf,
    **doors_of("articles", "wordlist", "wordlist", lists=DESK, adds=KEEPERS),
    "articles_wordlist_check": check_wordlist_live,
    "articles_wordlist_import": check_wordlist_import,
    "articles_wordlist_export": check_wordlist_export,
    **doors_of("articles", "wordentry", "wordentry", lists=DESK, adds=KEEPERS),
    "articles_wordverification_changelist": check_list(
        "articles_wordverification_changelist", DESK
    ),
    "articles_wordverification_verify": check_wordverification_verify,
    "articles_feerules_changelist": check_feerules_list,
    "articles_feerules_change": check_change("articles_feerules_change", "feerules"),
    "articles_feerules_history": check_history("articles_feerules_history", "feerules"),
    "articles_feemonth_changelist": check_list("articles_feemonth_changelist", set(ROLES)),
    "articles_feemonth_statistics": check_list("articles_feemonth_statistics", set(ROLES)),
    "articles_feemonth_detail": check_feemonth_detail,
    "articles_feemonth_export": check_feemonth_export,
    "articles_feemonth_adjust": check_feemonth_adjust,
    "articles_feemonth_approve": check_feemonth_approve,
    "articles_feemonth_compute": check_feemonth_compute,
    **doors_of("articles", "sitesettings", "site", lists={"chief", "superuser"}, adds=set()),
    **doors_of("articles", "section", "section", lists=EVERY_ROLE, adds=DESK),
    **doors_of("articles", "transitionlog", "log", lists=DESK, adds=set()),
    **doors_of("articles", "assignment", "assignment", lists=EVERY_ROLE, adds=EVERY_ROLE),
    **doors_of("taggit", "tag", "tag", lists=EVERY_ROLE, adds=FILERS),
    **doors_of("people", "person", "person", lists=EVERY_ROLE, adds=EVERY_ROLE),
    **doors_of("media", "photo", "photo", lists=EVERY_ROLE, adds=PHOTO_FILERS),
    "media_photo_upload": check_upload,
    "media_photo_describe": check_describe,
    **doors_of("auth", "user", "user", lists={"superuser"}, adds={"superuser"}),
    "auth_user_password_change": check_password_change,
    **doors_of("auth", "group", "group", lists={"superuser"}, adds={"superuser"}),
    "autocomplete": check_autocomplete,
    "view_on_site": check_view_on_site,
    "index": check_site_pages("index"),
    "login": check_site_pages("login"),
    "logout": check_site_pages("logout"),
    "password_change": check_site_pages("password_change"),
    "password_change_done": check_site_pages("password_change_done"),
    "jsi18n": check_site_pages("jsi18n"),
    "app_list": check_site_pages("app_list", "articles"),
}
for _view in ("changelist", "add", "change", "history", "delete"):
    DOORS[f"django_tasks_database_dbtaskresult_{_view}"] = check_task_results(_view)
for _model in ("accessattempt", "accesslog", "accessfailurelog"):
    DOORS[f"axes_{_model}_changelist"] = check_list(
        f"axes_{_model}_changelist", RECORD_KEEPERS[_model]
    )
    for _view in ("add", "change", "history", "delete"):
        DOORS[f"axes_{_model}_{_view}"] = check_records(_model, _view)


def admin_url_names():
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(admin.site.get_urls())
    return names


def test_every_door_is_in_the_table():
    assert admin_url_names() == set(DOORS), "a door of the admin is not in the door audit"


@pytest.mark.parametrize("door", sorted(DOORS), ids=str)
def test_each_door_lets_each_role_do_what_the_table_says(world, door):
    assert DOORS[door](world) == []


def test_the_tables_cover_every_state_of_copy_and_editions():
    assert set(ARTICLE) >= {s.value for s in Article.Status}
    assert set(EDITION) == {s.value for s in Edition.Status}
    assert set(ASSIGNMENT) >= {s.value for s in Assignment.Status}
