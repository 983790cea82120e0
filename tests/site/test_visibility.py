"""The leak matrix: copy that is not public appears on no public URL, for anyone."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article, Byline, Edition
from tests.factories import EditionFactory, PageFactory, PersonFactory

from .conftest import add_photo, ago, credit, public_urls, publish

pytestmark = pytest.mark.django_db

MARK = "LEAK7F3A"
SECRET_PERSON = "秘密者"
SECRET_TAG = f"密标签{MARK}"
SIGNED_OFF_DATE = datetime.date(2022, 2, 15)

# Every state in which copy must stay out of sight, and how to put it there.
STATES = {
    "draft": {"status": Article.Status.DRAFT},
    "submitted": {"status": Article.Status.SUBMITTED},
    "returned": {"status": Article.Status.RETURNED},
    "approved": {"status": Article.Status.APPROVED},
    "spiked": {"status": Article.Status.SPIKED},
    "withdrawn": {
        "status": Article.Status.WITHDRAWN,
        "published_at": ago(days=1),
        "withdrawn_at": ago(hours=1),
    },
    "scheduled": {"status": Article.Status.PUBLISHED, "published_at": ago(hours=-3)},
    "in a signed-off edition": {"status": Article.Status.APPROVED, "signed_off": True},
}


def make_secret(paper, state):
    spec = dict(STATES[state])
    page = paper["page1"]
    if spec.pop("signed_off", False):
        edition = EditionFactory(date=SIGNED_OFF_DATE, status=Edition.Status.SIGNED_OFF)
        page = PageFactory(edition=edition, number=1, name=f"版{MARK}")
    secret = Article.objects.create(
        kicker=f"引题{MARK}",
        headline=f"标题{MARK}",
        subheadline=f"副题{MARK}",
        source="本报讯",
        body=f"正文{MARK}。",
        summary=f"摘要{MARK}",
        section=paper["section"],
        page=page,
        position=2,
        **spec,
    )
    # Shares a reporter, a tag and the section with the public lead story,
    # and has a person, a tag and a photo of its own.
    credit(secret, paper["siyong"], PersonFactory(name=SECRET_PERSON))
    secret.tags.set(["信访", SECRET_TAG])
    add_photo(secret, PersonFactory(name="摄影者"), caption=f"图说{MARK}", alt_text=f"替代{MARK}")
    return secret


def secret_urls(secret):
    person = secret.bylines.get(person__name=SECRET_PERSON).person.slug
    tag = secret.tags.get(name=SECRET_TAG).slug
    return [
        reverse("articles:tag", args=[tag]),
        reverse("articles:tag-rss", args=[tag]),
        reverse("articles:tag-atom", args=[tag]),
        reverse("articles:person", args=[person]),
        reverse("articles:person-rss", args=[person]),
        reverse("articles:person-atom", args=[person]),
        reverse("articles:edition", args=[SIGNED_OFF_DATE]),
        reverse("articles:edition-page", args=[SIGNED_OFF_DATE, 1]),
    ]


@pytest.fixture(params=["anonymous", "reporter"])
def reader(request, client, reporter):
    if request.param == "reporter":
        client.force_login(reporter)  # logged in, but did not write the copy
    return client


@pytest.mark.parametrize("state", STATES)
def test_copy_that_is_not_public_appears_nowhere(paper, reader, state):
    secret = make_secret(paper, state)
    secret_url = secret.get_absolute_url()
    for url in public_urls(paper):
        response = reader.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert MARK not in content, f"{state} copy leaks on {url}"
        assert SECRET_PERSON not in content, f"{state} byline leaks on {url}"
        assert secret_url not in content, f"{state} link leaks on {url}"
        assert SIGNED_OFF_DATE.isoformat() not in content, f"unpublished edition on {url}"
    for url in secret_urls(secret):
        assert reader.get(url).status_code == 404, url
    expected = 410 if state == "withdrawn" else 404
    response = reader.get(secret_url)
    assert response.status_code == expected
    content = response.content.decode()
    if state == "withdrawn":
        # The notice names what was withdrawn (it was public), never its text.
        assert f"标题{MARK}" in content
        content = content.replace(f"标题{MARK}", "")
    assert MARK not in content


@pytest.mark.parametrize("state", STATES)
def test_counts_include_only_published_copy(paper, client, state):
    make_secret(paper, state)
    content = client.get(paper["siyong"].get_absolute_url()).content.decode()
    assert "已发表1篇" in content


def test_the_public_lead_story_is_everywhere_it_should_be(paper, client):
    """The control for the matrix above: the same URLs do show published copy."""
    lead = paper["lead"]
    for url in public_urls(paper):
        if url in (reverse("articles:robots"), reverse("articles:edition-archive")):
            continue
        content = client.get(url).content.decode()
        if url == reverse("articles:edition-month", args=[paper["edition"].date]):
            assert paper["edition"].get_absolute_url() in content
        elif url != lead.get_absolute_url():
            assert lead.get_absolute_url() in content, url
        else:
            assert lead.headline in content


def test_web_copy_on_a_page_of_an_unpublished_edition_does_not_name_that_page(client):
    """Breaking news published on the web before its edition is out."""
    planning = EditionFactory(date=SIGNED_OFF_DATE, status=Edition.Status.PLANNING)
    page = PageFactory(edition=planning, number=3, name=f"版{MARK}")
    article = publish(headline="突发新闻", page=page)
    credit(article, PersonFactory(name="王记者"), role=Byline.Role.REPORTER)
    content = client.get(article.get_absolute_url()).content.decode()
    assert "突发新闻" in content
    assert MARK not in content and SIGNED_OFF_DATE.isoformat() not in content
    assert client.get(planning.get_absolute_url()).status_code == 404
