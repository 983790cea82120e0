"""三审 holds on every path: the levels a submission needs are on record, and every door asks the record.

Each way one editor once took 要闻 copy (three levels) through review alone
is tried against each door that lets copy run: publication on the web,
placement on a page, the preflight of sign-off and the publication of the
edition. None lets it through; the record says what is missing.
"""

import pytest

from articles import services, workflow
from articles.models import (
    Approval,
    ChangeAfterApproval,
    Notification,
    Submission,
    TransitionLog,
)
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    return {
        "yaowen": SectionFactory(name="要闻", slug="yaowen", review_levels=3),
        "minsheng": SectionFactory(name="民生", slug="minsheng", review_levels=1),
    }


@pytest.fixture
def filed(people, sections):
    """要闻 copy the reporter filed and submitted, bylined, with a revision filed under 民生 first."""
    article = ArticleFactory.build(section=sections["minsheng"])
    credit = services.Credit(people["reporter"].person, "reporter")
    article = services.save_article(article, user=people["reporter"], bylines=[credit])  # 民生
    article.section = sections["yaowen"]
    article = services.save_article(article, user=people["reporter"])  # revision 2: 要闻
    return workflow.transition(article, "submit", user=people["reporter"])


def refresh(article):
    article.refresh_from_db()
    return article


# --- the ways one editor lowered what the copy needs -----------------------------------


def swap_section(article, people, sections):
    """Save it under 民生 (one level), approve it, save it under 要闻 again."""
    editor = people["editor"]
    article.section = sections["minsheng"]
    article = services.save_article(article, user=editor)
    article = workflow.transition(article, "approve", user=editor)
    article.section = sections["yaowen"]
    return services.save_article(refresh(article), user=editor)


def lower_the_sections_levels(article, people, sections):
    """Set 要闻 to one level (the chief's to set; the editor is refused), approve, set it back."""
    editor, chief = people["editor"], people["chief"]
    yaowen = sections["yaowen"]
    yaowen.review_levels = 1
    with pytest.raises(services.Refused):
        services.save_section(yaowen, user=editor)
    services.save_section(yaowen, user=chief)
    article = workflow.transition(refresh(article), "approve", user=editor)
    yaowen.review_levels = 3
    services.save_section(yaowen, user=chief)
    return refresh(article)


def restore_a_revision(article, people, sections):
    """Restore the revision filed under 民生, approve, restore the 要闻 revision."""
    editor = people["editor"]
    first, second = article.revisions.order_by("number")[:2]
    services.restore_revision(first, user=editor)
    article = workflow.transition(refresh(article), "approve", user=editor)
    services.restore_revision(second, user=editor)
    return refresh(article)


LOWERINGS = [swap_section, lower_the_sections_levels, restore_a_revision]


# --- the doors that let copy run ------------------------------------------------------------


def publish_on_the_web(article, people):
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(article, "publish_now", user=people["editor"])


def place_on_a_page(article, people):
    page = PageFactory(edition=EditionFactory(), number=1, editor=PersonFactory())
    with pytest.raises(workflow.TransitionRefused):
        workflow.place(article, user=people["editor"], page=page)
    assert refresh(article).page_id is None


def sign_off_its_edition(article, people):
    edition = EditionFactory(number=9001)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    # Filed on its page as an import does (any state before approval).
    workflow.file_on_page(article, user=people["editor"], page=page, position=1)
    with pytest.raises(workflow.TransitionRefused):
        workflow.sign_off(edition, user=people["chief"])
    edition.refresh_from_db()
    assert edition.status == "planning"
    assert "not_approved" in {p.code for p in workflow.preflight(edition).problems}


def publish_its_edition(article, people):
    edition = EditionFactory(number=9002)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    other = ArticleFactory(page=page, position=2, status="approved")
    BylineFactory(article=other)
    workflow.sign_off(edition, user=people["chief"])
    # The copy reaches the signed-off edition's page behind the workflow's back
    # and is marked approved there; publication still reads the record.
    type(article).objects.filter(pk=article.pk).update(page=page, position=1, status="approved")
    with pytest.raises(workflow.TransitionRefused):
        workflow.publish_edition(edition, user=people["chief"])
    edition.refresh_from_db()
    assert edition.status == "signed_off"
    assert refresh(other).status == "approved"  # all or nothing


DOORS = [publish_on_the_web, place_on_a_page, sign_off_its_edition, publish_its_edition]


@pytest.mark.parametrize("lowering", LOWERINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("door", DOORS, ids=lambda f: f.__name__)
def test_one_editor_cannot_take_three_level_copy_through_review_alone(
    people, sections, filed, lowering, door
):
    article = lowering(filed, people, sections)
    # Whatever its status says now, its round still needs 复审 and 终审.
    submission = Submission.objects.get(article=article, closed_at=None)
    assert submission.levels == 3
    assert list(submission.approvals.values_list("level", "approver")) == [(1, people["editor"].pk)]
    door(refresh(article), people)
    assert refresh(article).status != "published"


def test_the_levels_are_fixed_when_submitted_and_rise_with_a_section_that_asks_for_more(
    people, sections
):
    article = ArticleFactory(created_by=people["reporter"], section=sections["minsheng"])
    BylineFactory(article=article, person=people["reporter"].person)
    article = workflow.transition(article, "submit", user=people["reporter"])
    assert Submission.objects.get(article=article).levels == 1
    article.section = sections["yaowen"]
    article = services.save_article(article, user=people["editor"])
    assert (article.levels_needed, article.awaited_level) == (3, 1)
    assert Submission.objects.get(article=article).levels == 3


def test_approved_copy_moved_to_a_section_with_more_levels_awaits_them(people, sections):
    article = ArticleFactory(created_by=people["reporter"], section=sections["minsheng"])
    BylineFactory(article=article, person=people["reporter"].person)
    article = workflow.transition(article, "submit", user=people["reporter"])
    article = workflow.transition(article, "approve", user=people["editor"])
    assert article.status == "approved"
    article.section = sections["yaowen"]
    article = services.save_article(article, user=people["editor"])
    assert (article.status, article.awaited_level) == ("submitted", 2)
    assert TransitionLog.objects.filter(article=article, action="review_again").exists()
    # Then the desk head and the chief; the editor's 初审 still stands.
    article = workflow.transition(article, "approve", user=people["desk_head"])
    article = workflow.transition(article, "approve", user=people["chief"])
    assert article.status == "approved"
    workflow.transition(article, "publish_now", user=people["editor"])


def test_reopening_approved_copy_starts_a_new_round_whatever_is_on_record(people, filed):
    article = filed
    for reviewer in ("editor", "desk_head", "chief"):
        article = workflow.transition(article, "approve", user=people[reviewer])
    assert article.status == "approved"
    article = workflow.transition(article, "reopen", user=people["editor"])
    assert (article.status, article.awaited_level) == ("submitted", 1)
    rounds = Submission.objects.filter(article=article).order_by("submitted_at", "pk")
    assert [r.closed_at is None for r in rounds] == [False, True]
    assert not rounds.last().approvals.exists()
    # The old round's approvals do not count: publication needs the new round's three.
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(article, "publish_now", user=people["editor"])


# --- changes to approved copy ----------------------------------------------------------


@pytest.fixture
def approved(people, filed):
    article = filed
    for reviewer in ("editor", "desk_head", "chief"):
        article = workflow.transition(article, "approve", user=people[reviewer])
    Notification.objects.all().delete()
    return article


def notified(user):
    return list(
        Notification.objects.filter(recipient=user, kind="changed").values_list(
            "subject", flat=True
        )
    )


def test_a_correction_of_wording_stands_and_tells_those_who_approved_it(people, approved):
    approved.body = approved.body.replace("会议", "大会")
    article = services.save_article(approved, user=people["editor"])
    assert article.status == "approved"
    change = ChangeAfterApproval.objects.get()
    assert (change.kind, change.changed, change.changed_by) == (
        "wording",
        ["body"],
        people["editor"],
    )
    # The approvers are told; the editor made the change and is not.
    assert notified(people["desk_head"]) == [article.headline]
    assert notified(people["chief"]) == [article.headline]
    assert notified(people["editor"]) == []
    workflow.transition(article, "publish_now", user=people["editor"])


def test_a_new_headline_sends_approved_copy_back_to_the_final_level(people, approved):
    approved.headline = "地铁二号线今日开通"
    article = services.save_article(approved, user=people["editor"])
    assert (article.status, article.awaited_level) == ("submitted", 3)
    assert ChangeAfterApproval.objects.get().kind == "review"
    assert Approval.objects.filter(level=3).exclude(voided_at=None).count() == 1
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(article, "publish_now", user=people["editor"])
    # The chief gives 终审 again, to the copy as it stands now.
    article = workflow.transition(article, "approve", user=people["chief"])
    assert article.status == "approved"
    assert (
        Approval.objects.get(level=3, voided_at=None).revision
        == article.revisions.order_by("-number").first()
    )
    workflow.transition(article, "publish_now", user=people["editor"])


def test_a_photo_added_to_approved_copy_sends_it_back_to_the_final_level(people, approved):
    # The photographer attaches their picture from its own page (the photo desk's way).
    photo = PhotoFactory(caption="2月12日，新站台。", created_by=people["photographer"])
    services.save_photo(photo, user=people["photographer"], uses={approved: services.OnCopy("", 0)})
    article = refresh(approved)
    assert (article.status, article.awaited_level) == ("submitted", 3)
    assert ChangeAfterApproval.objects.get().changed == ["photos"]
    assert notified(people["chief"]) == [article.headline]


def test_the_final_approver_changes_their_own_approved_copy_without_review_again(people, approved):
    approved.headline = "地铁二号线今日开通"
    article = services.save_article(approved, user=people["chief"])
    assert article.status == "approved"
    assert not ChangeAfterApproval.objects.exists()


def test_a_new_credit_on_a_photo_of_approved_copy_is_a_change_that_needs_review(people, approved):
    photo = PhotoFactory(caption="新站台。")
    ArticlePhotoFactory(article=approved, photo=photo)
    services.save_photo(photo, user=people["editor"], credits=[PersonFactory(name="宋卫东")])
    assert refresh(approved).status == "submitted"
    assert ChangeAfterApproval.objects.get().changed == ["photos"]
