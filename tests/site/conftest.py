import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticlePhoto, Byline, Edition
from people.models import Person
from people.roles import Role
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

HOST = "paper.example.com"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Every test starts with an empty (local memory) page cache and a known host."""
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    cache.clear()


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = HOST
    return client


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def published_edition(date=datetime.date(2022, 2, 14), **kwargs):
    return EditionFactory(
        date=date, status=Edition.Status.PUBLISHED, published_at=ago(hours=2), **kwargs
    )


def publish(*, status=Article.Status.PUBLISHED, published_at=None, page=None, position=0, **fields):
    """Copy as the workflow publishes it: approved, then published at published_at.

    published_at defaults to an hour ago; the clock is taken there for the
    step, so the article carries what the workflow writes (times, actor,
    version, log). Copy printed on a page is then given its place, as the
    edition's publication leaves it. Any other status is made as it is: those
    rows are what readers must not see.
    """
    if status != Article.Status.PUBLISHED:
        fields.update(page=page, position=position, published_at=published_at)
        return ArticleFactory(status=status, **fields)
    article = ArticleFactory(status=Article.Status.APPROVED, **fields)
    with time_machine.travel(published_at or ago(hours=1), tick=False):
        article = workflow.transition(article, "publish_now", user=desk_editor())
    if page is not None:
        Article.objects.filter(pk=article.pk).update(page=page, position=position)
        article.page, article.position = page, position
    return article


def credit(article, *people, role=Byline.Role.REPORTER, start=0):
    for position, person in enumerate(people, start=start):
        Byline.objects.create(article=article, person=person, role=role, position=position)


def add_photo(article, *photographers, position=0, caption="", **photo_kwargs):
    photo = PhotoFactory(**photo_kwargs)
    for n, person in enumerate(photographers):
        PhotoCreditFactory(photo=photo, person=person, position=n)
    ArticlePhoto.objects.create(article=article, photo=photo, position=position, caption=caption)
    return photo


def desk_editor():
    """An editor account, for workflow steps the tests take."""
    user = UserFactory(username="desk-editor")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    return user


def withdraw(article, django_capture_on_commit_callbacks):
    """Take a published article down through the workflow, committing its effects."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "withdraw", user=desk_editor(), note="当事人要求撤稿")


@pytest.fixture
def reporter(db):
    """A reporter with an account, logged in nowhere yet."""
    user = UserFactory(username="reporter-x")
    user.groups.add(Group.objects.get_or_create(name=Role.REPORTER)[0])
    Person.objects.create(name="记者甲", user=user)
    return user


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor-x")
    user.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    user.user_permissions.add(Permission.objects.get(codename="preview_article"))
    return user


@pytest.fixture
def paper(db):
    """A published edition with two pages and a lead story on page 1."""
    edition = published_edition(number=6125)
    page1 = PageFactory(edition=edition, number=1, name="要闻")
    page2 = PageFactory(edition=edition, number=2, name="综合")
    section = SectionFactory(name="城市", slug="chengshi")
    siyong, mixue = PersonFactory(name="司勇"), PersonFactory(name="米雪")
    lead = publish(
        kicker="历时四年建设",
        headline="我市召开信访工作会议",
        subheadline="韦韬张新伟作出批示",
        source="本报讯",
        body="2月11日，全市信访工作会议召开。\n\n会议总结了去年的工作。",
        summary="全市信访工作会议召开。",
        section=section,
        page=page1,
        position=1,
    )
    credit(lead, siyong)
    credit(lead, mixue, role=Byline.Role.CORRESPONDENT, start=1)
    lead.tags.set(["信访", "会议"])
    return {
        "edition": edition,
        "page1": page1,
        "page2": page2,
        "section": section,
        "lead": lead,
        "siyong": siyong,
        "mixue": mixue,
    }


def public_urls(paper):
    """Every kind of public URL, for the paper fixture."""
    edition, lead, section = paper["edition"], paper["lead"], paper["section"]
    person = paper["siyong"].slug
    return [
        reverse("articles:home"),
        reverse("articles:edition-archive"),
        reverse("articles:edition-month", args=[edition.date]),
        edition.get_absolute_url(),
        paper["page1"].get_absolute_url(),
        lead.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", args=["信访"]),
        paper["siyong"].get_absolute_url(),
        reverse("articles:feed-rss"),
        reverse("articles:feed-atom"),
        reverse("articles:section-rss", args=[section.slug]),
        reverse("articles:section-atom", args=[section.slug]),
        reverse("articles:tag-rss", args=["信访"]),
        reverse("articles:tag-atom", args=["信访"]),
        reverse("articles:person-rss", args=[person]),
        reverse("articles:person-atom", args=[person]),
        reverse("articles:sitemap"),
        reverse("articles:sitemap-news"),
        reverse("articles:robots"),
    ]
