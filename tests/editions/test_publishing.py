"""Editions: preflight, sign-off, publication all or nothing, scheduled publishing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.editions import publishing
from articles.models import Article, ArticleSearch, Edition, TransitionLog
from tests.concurrency import race
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ready_edition(articles=2, **edition_fields):
    """An edition that passes preflight: named pages, editors, approved bylined copy."""
    edition = EditionFactory(**edition_fields)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    for position in range(1, articles + 1):
        article = ArticleFactory(page=page, position=position, status="approved")
        BylineFactory(article=article)
    return edition


def codes(edition):
    return sorted(p.code for p in workflow.preflight(edition).problems)


def test_a_ready_edition_has_no_problems():
    assert codes(ready_edition()) == []


def test_preflight_finds_every_kind_of_problem():
    edition = EditionFactory()
    assert codes(edition) == ["no_pages"]
    PageFactory(edition=edition, number=1, name="", editor=None)
    assert codes(edition) == ["empty_page", "page_editor", "page_name"]

    page = PageFactory(edition=edition, number=2, name="综合", editor=PersonFactory())
    ArticleFactory(page=page, status="submitted", headline="未通过的稿件")
    photo_news = ArticleFactory(page=page, status="approved", kind="photo", headline="")
    BylineFactory(article=photo_news)
    with_bad_photo = ArticleFactory(page=page, status="approved")
    BylineFactory(article=with_bad_photo)
    ArticlePhotoFactory(
        article=with_bad_photo, photo__image=None, photo__caption="", photo__alt_text=""
    )
    report = workflow.preflight(edition)
    assert sorted(p.code for p in report.problems if p.page and p.page.number == 2) == [
        "no_byline",
        "no_photo",
        "not_approved",
        "photo_alt_text",
        "photo_caption",
        "photo_credit",
        "photo_image",
    ]
    # Each problem points at what it concerns, for the planner to highlight.
    (not_approved,) = [p for p in report.problems if p.code == "not_approved"]
    assert not_approved.article.headline == "未通过的稿件"
    assert "未通过的稿件" in str(not_approved)


def test_a_complete_photo_passes_preflight():
    edition = ready_edition(articles=1)
    article = Article.objects.get(page__edition=edition)
    use = ArticlePhotoFactory(article=article)
    PhotoCreditFactory(photo=use.photo)
    assert codes(edition) == []


def test_sign_off_is_refused_while_problems_remain_and_allowed_once_fixed(people):
    edition = ready_edition()
    page = edition.pages.get()
    page.editor = None
    page.save()
    with pytest.raises(workflow.TransitionRefused, match="1"):
        workflow.sign_off(edition, user=people["chief"])
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    page.editor = PersonFactory()
    page.save()
    edition = workflow.sign_off(edition, user=people["chief"])
    assert edition.status == Edition.Status.SIGNED_OFF
    assert edition.signed_off_by == people["chief"] and edition.signed_off_at


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "editor", "nobody"])
def test_only_the_chief_editor_signs_off_and_publishes(people, role):
    edition = ready_edition()
    with pytest.raises(workflow.TransitionRefused):
        workflow.sign_off(edition, user=people[role])
    workflow.sign_off(edition, user=people["chief"])
    for step in (workflow.publish_edition, workflow.reopen_edition):
        with pytest.raises(workflow.TransitionRefused):
            step(edition, user=people[role])
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF


def test_the_chief_editor_can_reopen_a_signed_off_edition(people):
    edition = workflow.sign_off(ready_edition(), user=people["chief"])
    edition = workflow.reopen_edition(edition, user=people["chief"])
    assert edition.status == Edition.Status.PLANNING
    assert edition.signed_off_by is None
    assert list(edition.transitions.values_list("action", flat=True)) == ["sign_off", "reopen"]


def test_publishing_publishes_every_placed_article_at_the_edition_time(people):
    edition = workflow.sign_off(ready_edition(articles=3), user=people["chief"])
    edition = workflow.publish_edition(edition, user=people["chief"])
    articles = Article.objects.filter(page__edition=edition)
    assert edition.status == Edition.Status.PUBLISHED
    assert {a.status for a in articles} == {Article.Status.PUBLISHED}
    assert {a.published_at for a in articles} == {edition.published_at}
    assert set(Article.objects.published()) == set(articles)


def test_an_edition_that_is_not_signed_off_is_not_published(people):
    edition = ready_edition()
    with pytest.raises(workflow.TransitionRefused):
        workflow.publish_edition(edition, user=people["chief"])
    assert not Article.objects.published().exists()


def test_publication_is_all_or_nothing(people, monkeypatch):
    edition = workflow.sign_off(ready_edition(articles=5), user=people["chief"])

    def fail_after_the_articles_are_written(articles, **kwargs):
        assert Article.objects.filter(status="published").count() == 5
        raise RuntimeError("the database went away")

    monkeypatch.setattr(publishing, "_tell_published", fail_after_the_articles_are_written)
    with pytest.raises(RuntimeError):
        workflow.publish_edition(edition, user=people["chief"])
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF
    assert edition.published_at is None
    assert set(Article.objects.values_list("status", flat=True)) == {"approved"}
    assert not TransitionLog.objects.filter(action__startswith="publish").exists()


def test_an_edition_of_sixty_articles_is_published_in_a_fixed_number_of_queries(
    people, django_assert_max_num_queries
):
    edition = ready_edition(articles=60)
    page = edition.pages.get()
    section, reporter = SectionFactory(), PersonFactory(user=UserFactory())
    for article in page.articles.all()[:10]:
        PhotoCreditFactory(photo=ArticlePhotoFactory(article=article).photo)
        BylineFactory(article=article, person=reporter)  # who is told it is out
        article.tags.add("信访")
    page.articles.update(section=section)
    edition = workflow.sign_off(edition, user=people["chief"])
    before = dict(Article.objects.values_list("pk", "version"))
    with django_assert_max_num_queries(20) as captured:
        edition = workflow.publish_edition(edition, user=people["chief"])
    # The search documents are not written again: they hold the copy, which
    # publication does not change (their GIN indexes made it slow when it did).
    documents = ArticleSearch._meta.db_table
    assert not [q["sql"] for q in captured.captured_queries if documents in q["sql"]], (
        "publication wrote the search documents"
    )
    articles = Article.objects.filter(page__edition=edition)
    assert {a.status for a in articles} == {Article.Status.PUBLISHED}
    assert {a.published_by_id for a in articles} == {people["chief"].pk}
    assert {a.updated_by_id for a in articles} == {people["chief"].pk}
    # Each article's version moved, so a form opened before publication is stale.
    assert all(a.version == before[a.pk] + 1 for a in articles)
    logs = TransitionLog.objects.filter(action="publish_with_edition")
    assert sorted(logs.values_list("article_id", flat=True)) == sorted(before)
    assert {(log.from_status, log.to_status) for log in logs} == {("approved", "published")}
    assert reporter.user.notifications.count() == 10


def test_copy_changed_after_sign_off_stops_publication(people):
    edition = workflow.sign_off(ready_edition(), user=people["chief"])
    article = Article.objects.filter(page__edition=edition).first()
    workflow.transition(article, "reopen", user=people["editor"])
    with pytest.raises(workflow.TransitionRefused, match="approved|通过"):
        workflow.publish_edition(edition, user=people["chief"])
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF
    assert not Article.objects.published().exists()


NOON = datetime.datetime(2026, 11, 27, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai


def test_scheduled_editions_are_published_when_due_and_only_once(people):
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        at = NOON + datetime.timedelta(hours=17)  # 05:00 the next morning
        workflow.schedule(edition, user=people["chief"], at=at)
        call_command("publish_scheduled")
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF

    with time_machine.travel(at + datetime.timedelta(seconds=30), tick=False):
        call_command("publish_scheduled")
        call_command("publish_scheduled")
        assert Article.objects.published().count() == 2
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED
    assert edition.published_by == people["chief"]
    assert TransitionLog.objects.filter(edition=edition, action="publish").count() == 1
    assert TransitionLog.objects.filter(action="publish_with_edition").count() == 2


def test_a_schedule_must_be_in_the_future(people):
    edition = workflow.sign_off(ready_edition(), user=people["chief"])
    with pytest.raises(workflow.TransitionRefused):
        workflow.schedule(edition, user=people["chief"], at=timezone.now())


def test_a_due_edition_with_problems_is_reported_not_published(people, capsys):
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        workflow.schedule(edition, user=people["chief"], at=NOON + datetime.timedelta(hours=1))
        workflow.transition(Article.objects.first(), "reopen", user=people["editor"])
    with time_machine.travel(NOON + datetime.timedelta(hours=2), tick=False):
        with pytest.raises(SystemExit):
            call_command("publish_scheduled")
    assert "not published" in capsys.readouterr().err
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_overlapping_runs_publish_an_edition_once(people, monkeypatch):
    chief = people["chief"]
    edition = ready_edition(articles=3)
    workflow.sign_off(edition, user=chief)
    Edition.objects.filter(pk=edition.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(minutes=1), scheduled_by=chief
    )

    # The first run holds the claimed edition until the second waits for it.
    results = race(
        workflow.publish_due, workflow.publish_due, monkeypatch, publishing, "_publish_articles"
    )
    published = [edition for done, failed in results.values() for edition in done]
    assert len(published) == 1
    # The run that found it claimed reports no failure either: nothing went wrong.
    assert [failed for done, failed in results.values()] == [[], []]
    assert TransitionLog.objects.filter(action="publish").count() == 1
    assert TransitionLog.objects.filter(action="publish_with_edition").count() == 3


def test_a_cancelled_schedule_publishes_nothing(people):
    with time_machine.travel(NOON, tick=False):
        edition = workflow.sign_off(ready_edition(), user=people["chief"])
        workflow.schedule(edition, user=people["chief"], at=NOON + datetime.timedelta(hours=1))
        edition = workflow.unschedule(edition, user=people["chief"])
    assert edition.scheduled_at is None and edition.status == Edition.Status.SIGNED_OFF
    with time_machine.travel(NOON + datetime.timedelta(hours=2), tick=False):
        call_command("publish_scheduled")
    assert not Article.objects.published().exists()


def test_copy_comes_off_a_page_only_while_the_edition_is_planned(people):
    edition = ready_edition(articles=3)
    first, second, third = Article.objects.filter(page__edition=edition).order_by("position")
    workflow.unplace(second, user=people["editor"])
    second.refresh_from_db()
    assert second.page is None
    # The page closes up behind it.
    assert list(
        edition.pages.get().articles.order_by("position").values_list("pk", "position")
    ) == [
        (first.pk, 1),
        (third.pk, 2),
    ]
    with pytest.raises(workflow.TransitionRefused):
        workflow.unplace(first, user=people["reporter"])
    workflow.sign_off(edition, user=people["chief"])
    with pytest.raises(workflow.TransitionRefused):
        workflow.unplace(first, user=people["editor"])
    first.refresh_from_db()
    assert first.page is not None
