"""A blocking word stops the final review, placement and sign-off until removed or verified.

Warnings and fixes are shown to each reviewer and stop nothing. Verifying a
blocking word (已核实) is the chief editor's; a reviewer verifies the others.
Each verification is a row of its own with the facts it was made on.
"""

import pytest

from articles import services, workflow
from articles.models import Section, WordEntry, WordVerification
from articles.permissions import Refused
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    SectionFactory,
)
from tests.wordcheck.conftest import make_list

pytestmark = pytest.mark.django_db

CLEAN = "2月11日，全市工作会议召开。"
BLOCKED = "2月11日，本品可根\n治失眠。"


def submitted(people, body=BLOCKED, levels=1, **fields):
    section = SectionFactory(review_levels=levels)
    article = ArticleFactory(
        status="submitted", body=body, section=section, created_by=people["reporter"], **fields
    )
    BylineFactory(article=article, person=people["reporter"].person)
    return article


def approve(article, user):
    return workflow.transition(article, "approve", user=user)


def test_the_final_review_is_refused_while_a_blocking_word_stands(people, sample_list):
    article = submitted(people)
    with pytest.raises(workflow.TransitionRefused, match="根治"):
        approve(article, people["editor"])
    article.refresh_from_db()
    assert article.status == "submitted"
    assert "approve" not in [
        t.name for t in workflow.allowed_transitions(people["editor"], article)
    ]


def test_the_levels_before_the_last_pass_and_the_last_is_refused(people, sample_list):
    article = submitted(people, levels=2)
    article = approve(article, people["editor"])  # 初审 is not the final review
    assert (article.status, article.review_level) == ("submitted", 1)
    with pytest.raises(workflow.TransitionRefused, match="根治"):
        approve(article, people["desk_head"])


def test_warnings_and_fixes_stop_nothing(people, sample_list):
    article = submitted(people, body="请及时按装，效果最佳。")
    assert approve(article, people["editor"]).status == "approved"


def test_the_chief_editor_verifies_a_blocking_word_and_the_copy_passes(people, sample_list):
    article = submitted(people)
    row = services_verify(article, people["chief"], "根治", "经核实为引用患者原话，已加引号。")
    assert (row.word, row.severity, row.status, row.verified_by) == (
        "根治",
        "block",
        "submitted",
        people["chief"],
    )
    assert row.context.startswith("正文：") and "根\n治" not in row.context
    assert approve(article, people["editor"]).status == "approved"


def services_verify(article, user, key, reason):
    from articles.wordcheck import services as wordcheck

    return wordcheck.verify_word(article, user=user, key=key, reason=reason)


@pytest.mark.parametrize("role", ["editor", "desk_head"])
def test_only_the_chief_editor_verifies_a_blocking_word(people, sample_list, role):
    article = submitted(people)
    with pytest.raises(Refused, match="总编辑|chief editor"):
        services_verify(article, people[role], "根治", "理由")
    assert not WordVerification.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "nobody"])
def test_nobody_off_the_desk_verifies_anything(people, sample_list, role):
    article = submitted(people, body="效果最佳。")
    with pytest.raises(Refused):
        services_verify(article, people[role], "最佳", "理由")


def test_a_reviewer_verifies_a_warning_with_a_reason_and_the_reason_is_required(
    people, sample_list
):
    article = submitted(people, body="效果最佳。")
    with pytest.raises(Refused, match="理由|reason|why"):
        services_verify(article, people["editor"], "最佳", "  ")
    row = services_verify(article, people["editor"], "最佳", "引用比赛名次，不是广告。")
    assert row.severity == "warn" and row.level == 1
    with pytest.raises(Refused):
        services_verify(article, people["editor"], "最佳", "再来一次")
    assert WordVerification.objects.count() == 1


def test_a_word_not_in_the_copy_is_not_verified(people, sample_list):
    article = submitted(people, body=CLEAN)
    with pytest.raises(Refused):
        services_verify(article, people["chief"], "根治", "理由")


def test_a_warning_verified_does_not_clear_the_word_once_it_blocks(people, sample_list):
    article = submitted(people, body="效果最佳。")
    services_verify(article, people["editor"], "最佳", "比赛名次。")
    WordEntry.objects.filter(word="最佳").update(severity="block")
    sample_list.stamp = __import__("uuid").uuid4()
    sample_list.save()
    with pytest.raises(workflow.TransitionRefused, match="最佳"):
        approve(article, people["editor"])


def test_a_verification_keeps_the_facts_it_was_made_on(people, sample_list):
    article = submitted(people)
    services_verify(article, people["chief"], "根治", "引用原话。")
    WordEntry.objects.filter(word="根治").update(note="改过的说明", category="banned")
    row = WordVerification.objects.get()
    assert (row.entry_note, row.category, row.list_name) == (
        "广告法：不得保证疗效",
        "advertising",
        "审校词表",
    )


def test_headlines_kickers_subheadlines_and_captions_are_checked(people, sample_list):
    for field in ("headline", "kicker", "subheadline"):
        article = submitted(people, body=CLEAN, **{field: "根治顽疾"})
        with pytest.raises(workflow.TransitionRefused, match="根治"):
            approve(article, people["editor"])
    article = submitted(people, body=CLEAN)
    ArticlePhotoFactory(article=article, caption="专家称可根治。")
    with pytest.raises(workflow.TransitionRefused, match="图片说明|caption"):
        approve(article, people["editor"])


def test_an_inactive_list_checks_nothing(people):
    make_list("停用", [("根治", "advertising", "block")], active=False)
    assert approve(submitted(people), people["editor"]).status == "approved"


def placed_edition(body=BLOCKED, status="approved"):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    article = ArticleFactory(page=page, position=1, status=status, body=body, headline="今日要闻")
    BylineFactory(article=article)
    return edition, page, article


def test_the_preflight_names_page_and_article_and_sign_off_is_refused(people, sample_list):
    edition, page, article = placed_edition()  # approved before 根治 was on the list
    problems = [p for p in workflow.preflight(edition).problems if p.code == "blocked_word"]
    assert len(problems) == 1
    assert problems[0].page == page and problems[0].article == article
    assert str(page) in str(problems[0]) and "今日要闻" in str(problems[0])
    with pytest.raises(workflow.TransitionRefused, match="根治"):
        workflow.sign_off(edition, user=people["chief"])
    services_verify(article, people["chief"], "根治", "引用原话。")
    assert workflow.sign_off(edition, user=people["chief"]).status == "signed_off"


def test_the_word_removed_lets_the_edition_be_signed_off(people, sample_list):
    edition, page, article = placed_edition()
    article.body = CLEAN
    services.save_article(article, user=people["editor"])
    assert workflow.sign_off(edition, user=people["chief"]).status == "signed_off"


def test_copy_holding_a_blocking_word_is_not_placed(people, sample_list):
    edition, page, _article = placed_edition(body=CLEAN)
    other = ArticleFactory(status="approved", body=BLOCKED)
    with pytest.raises(workflow.TransitionRefused, match="根治"):
        workflow.place(other, user=people["editor"], page=page)
    other.refresh_from_db()
    assert other.page is None


def test_the_preflight_costs_the_same_queries_however_many_articles(people, sample_list):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(articles):
        edition = EditionFactory()
        page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
        for position in range(articles):
            ArticleFactory(page=page, position=position, status="approved", body=BLOCKED)
        with CaptureQueriesContext(connection) as captured:
            workflow.preflight(edition)
        return len(captured)

    queries(1)  # builds the automaton once
    assert queries(1) == queries(8)


def test_a_section_without_levels_still_has_its_final_review_checked(people, sample_list):
    article = ArticleFactory(status="submitted", body=BLOCKED, section=None)
    with pytest.raises(workflow.TransitionRefused):
        approve(article, people["editor"])
    assert Section.objects.count() == 0


def test_approved_copy_holding_a_blocking_word_is_not_published_on_the_web(people, sample_list):
    article = ArticleFactory(status="approved", body=BLOCKED, section=SectionFactory())
    BylineFactory(article=article)
    with pytest.raises(workflow.TransitionRefused, match="根治"):
        workflow.transition(article, "publish_now", user=people["editor"])
    services_verify(article, people["chief"], "根治", "引用原话。")
    assert workflow.transition(article, "publish_now", user=people["editor"]).status == "published"
