"""Nothing unpublished ever reaches the API; withdrawn copy reaches sync clients as canceled."""

import datetime

import pytest
import time_machine

from articles import workflow
from articles.models import Article
from tests.api.conftest import (
    planned_edition,
    published_article,
    published_edition,
    uri,
    uris,
)
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

EPOCH = "2000-01-01T00:00:00%2B08:00"


def in_state(state, people):
    """An article brought to state through the workflow, as the newsroom would."""
    reporter, editor = people["reporter"], people["editor"]
    article = ArticleFactory(created_by=reporter, headline=f"未公开稿件{state}")
    BylineFactory(article=article)
    steps = {
        "draft": [],
        "submitted": [("submit", reporter)],
        "returned": [("submit", reporter), ("return", editor)],
        "approved": [("submit", reporter), ("approve", editor)],
        "spiked": [("spike", editor)],
    }[state]
    for name, user in steps:
        article = workflow.transition(article, name, user=user, note="说明")
    assert article.status == state
    return article


UNPUBLISHED = ["draft", "submitted", "returned", "approved", "spiked"]


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_copy_appears_nowhere(api, people, state):
    visible = published_article(people)
    hidden = in_state(state, people)

    edition = published_edition(people)
    date = f"{edition.date:%Y-%m-%d}"
    # The workflow never leaves unpublished copy on a published page; force it
    # there, so the manifest is shown to filter by published() itself.
    Article.objects.filter(pk=hidden.pk).update(page=edition.pages.get(), position=9)
    shown = [uri(a) for a in Article.objects.filter(page__edition=edition, status="published")]

    for url in ["/api/v1/articles/", f"/api/v1/articles/?updated_since={EPOCH}"]:
        response = api(url)
        assert sorted(uris(response)) == sorted([uri(visible), *shown]), url
        assert response.json()["count"] == 2
        assert "未公开稿件" not in response.content.decode()
    assert uris(api(f"/api/v1/articles/?edition={date}")) == shown
    manifest = api(f"/api/v1/editions/{date}/")
    (page,) = manifest.json()["associations"]
    assert [a["uri"] for a in page["associations"]] == shown
    assert "未公开稿件" not in manifest.content.decode()
    assert api(f"/api/v1/articles/{hidden.pk}/").status_code == 404
    assert api(f"/api/v1/articles/{visible.pk}/").status_code == 200


def test_a_signed_off_edition_is_not_published(api, people):
    edition = workflow.sign_off(planned_edition(articles=2), user=people["chief"])
    date = f"{edition.date:%Y-%m-%d}"
    placed = list(edition.pages.get().articles.all())

    assert api("/api/v1/editions/").json()["results"] == []
    assert api(f"/api/v1/editions/{date}/").status_code == 404
    assert api(f"/api/v1/articles/?edition={date}").json()["results"] == []
    assert api(f"/api/v1/articles/?updated_since={EPOCH}").json()["results"] == []
    for article in placed:
        assert api(f"/api/v1/articles/{article.pk}/").status_code == 404


def test_a_scheduled_edition_is_not_published_before_its_time(api, people):
    edition = workflow.sign_off(planned_edition(), user=people["chief"])
    tomorrow = edition.signed_off_at + datetime.timedelta(days=1)
    workflow.schedule(edition, user=people["chief"], at=tomorrow)
    assert api("/api/v1/editions/").json()["count"] == 0
    assert api(f"/api/v1/articles/?updated_since={EPOCH}").json()["count"] == 0


def test_a_published_edition_shows_and_leaves_out_what_was_withdrawn_since(api, people):
    edition = published_edition(people, articles=2)
    date = f"{edition.date:%Y-%m-%d}"
    first, second = edition.pages.get().articles.order_by("position")
    workflow.transition(second, "withdraw", user=people["editor"], note="事实有误")

    (page,) = api(f"/api/v1/editions/{date}/").json()["associations"]
    assert [a["uri"] for a in page["associations"]] == [uri(first)]
    assert uris(api(f"/api/v1/articles/?edition={date}")) == [uri(first)]


def test_withdrawn_copy_reaches_sync_clients_as_canceled_without_content(api, people):
    kept = published_article(people)
    gone = published_article(people, headline="被撤下的稿件", body="不应再出现的正文。")
    gone = workflow.transition(gone, "withdraw", user=people["editor"], note="事实有误")

    # Not in ordinary lists, and its URL says it is gone.
    assert uris(api("/api/v1/articles/")) == [uri(kept)]
    assert api(f"/api/v1/articles/{gone.pk}/").status_code == 410

    response = api(f"/api/v1/articles/?updated_since={EPOCH}&ordering=updated")
    assert uris(response) == [uri(kept), uri(gone)]
    canceled = response.json()["results"][1]
    assert canceled["pubstatus"] == "canceled"
    assert canceled["version"] == str(gone.version)
    assert set(canceled) <= {
        "uri",
        "standard",
        "type",
        "representationtype",
        "version",
        "versioncreated",
        "pubstatus",
    }
    assert "被撤下的稿件" not in response.content.decode()
    assert "不应再出现的正文" not in response.content.decode()


def test_sync_only_sends_what_changed_since(api, people):
    with time_machine.travel("2026-11-01 10:00 +0800", tick=False):
        old = published_article(people)
        doomed = published_article(people)
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        new = published_article(people)
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        workflow.transition(doomed, "withdraw", user=people["editor"], note="撤稿")
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        since = "2026-11-15T00:00:00%2B08:00"
        response = api(f"/api/v1/articles/?updated_since={since}&ordering=updated")
        assert uris(response) == [uri(new), uri(doomed)]
        assert [d["pubstatus"] for d in response.json()["results"]] == ["usable", "canceled"]
        # Withdrawn copy never appears without updated_since, whatever else is asked.
        assert uri(doomed) not in uris(api("/api/v1/articles/?ordering=updated"))
        assert uri(old) in uris(api("/api/v1/articles/"))


def test_unpublished_copy_never_reaches_sync_even_if_withdrawn_looking(api, people):
    """Spiked copy has a withdrawn-like fate but was never public: it must not be canceled."""
    in_state("spiked", people)
    assert api(f"/api/v1/articles/?updated_since={EPOCH}").json()["results"] == []
