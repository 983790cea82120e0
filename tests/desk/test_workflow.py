"""Article transitions: who may take which step from which state."""

import pytest

from articles import permissions, services, workflow
from articles.models import Article, TransitionLog
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

STATES = [s.value for s in Article.Status]
FILERS = {"reporter", "correspondent", "superuser"}
DESK = {"editor", "desk_head", "chief", "superuser"}
# 三审: who may give each level (初审, 复审, 终审).
REVIEWERS = {
    1: DESK,
    2: {"desk_head", "chief", "superuser"},
    3: {"chief", "superuser"},
}

# The rules of the issue, written out independently of workflow.py:
# transition → (states it starts from, actors who may take it).
EXPECTED = {
    "submit": ({"draft"}, FILERS),
    "unsubmit": ({"submitted"}, FILERS),
    "return": ({"submitted"}, DESK),
    "resubmit": ({"returned"}, FILERS),
    "approve": ({"submitted"}, DESK),
    "reopen": ({"approved"}, DESK),
    "spike": ({"draft", "submitted", "returned", "approved"}, DESK),
    "publish_now": ({"approved"}, DESK),
    "withdraw": ({"published"}, DESK),
}
TARGET = {
    "submit": "submitted",
    "unsubmit": "draft",
    "return": "returned",
    "resubmit": "submitted",
    "approve": "approved",
    "reopen": "submitted",
    "spike": "spiked",
    "publish_now": "published",
    "withdraw": "withdrawn",
}


def test_the_matrix_covers_every_transition_the_workflow_has():
    assert set(EXPECTED) == set(workflow.ARTICLE_TRANSITIONS)
    for name, transition in workflow.ARTICLE_TRANSITIONS.items():
        assert transition.target == TARGET[name]


@pytest.fixture
def actors(people, superuser):
    # The reporter files the copy; the correspondent is bylined on it; the
    # other reporter is a colleague who did not write it.
    return {**people, "superuser": superuser}


def article_in(state, actors, **fields):
    article = ArticleFactory(status=state, created_by=actors["reporter"], **fields)
    BylineFactory(article=article, person=actors["correspondent"].person, role="correspondent")
    return article


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name, actors):
    sources, allowed_actors = EXPECTED[name]
    mistakes = []
    for state in STATES:
        for actor_name, user in actors.items():
            article = article_in(state, actors)
            expected = state in sources and actor_name in allowed_actors
            try:
                workflow.transition(article, name, user=user, note="理由")
                outcome = True
            except workflow.TransitionRefused:
                outcome = False
            article.refresh_from_db()
            logs = TransitionLog.objects.filter(article=article).count()
            if outcome != expected:
                mistakes.append(f"{actor_name} {name} from {state}: allowed={outcome}")
            elif outcome and (article.status != TARGET[name] or logs != 1):
                mistakes.append(f"{actor_name} {name} from {state}: not applied")
            elif not outcome and (article.status != state or logs != 0):
                mistakes.append(f"{actor_name} {name} from {state}: refused but changed")
    assert mistakes == []


@pytest.mark.parametrize("name", ["return", "spike", "withdraw"])
def test_steps_that_need_a_reason_are_refused_without_one(name, people):
    state = next(iter(EXPECTED[name][0]))
    article = ArticleFactory(status=state)
    with pytest.raises(workflow.TransitionRefused, match="需要"):
        workflow.transition(article, name, user=people["editor"], note="   ")
    article.refresh_from_db()
    assert article.status == state
    assert not article.transitions.exists()


def test_a_transition_sets_timestamp_actor_and_log_together(people):
    article = ArticleFactory(created_by=people["reporter"])
    workflow.transition(article, "submit", user=people["reporter"])
    article = workflow.transition(article, "approve", user=people["editor"])
    assert article.submitted_by == people["reporter"] and article.submitted_at
    assert article.approved_by == people["editor"] and article.approved_at
    assert article.updated_by == people["editor"]
    log = list(article.transitions.values_list("actor__username", "from_status", "to_status"))
    assert log == [("reporter", "draft", "submitted"), ("editor", "submitted", "approved")]


def test_return_keeps_the_note_for_the_filer(people):
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    workflow.transition(article, "return", user=people["editor"], note="请补充采访对象的说法")
    assert workflow.last_return(article).note == "请补充采访对象的说法"


def test_publish_now_is_for_web_only_copy(people):
    placed = ArticleFactory(status="approved", page=PageFactory())
    with pytest.raises(workflow.TransitionRefused, match="版面|edition|期"):
        workflow.transition(placed, "publish_now", user=people["editor"])
    web = workflow.transition(
        ArticleFactory(status="approved"), "publish_now", user=people["editor"]
    )
    assert web in Article.objects.published()
    assert web.published_by == people["editor"]


def test_spiking_placed_copy_takes_it_off_its_page(people):
    article = ArticleFactory(status="approved", page=PageFactory(), position=3)
    article = workflow.transition(article, "spike", user=people["editor"], note="不用了")
    assert article.page is None and article.position == 0


def test_withdrawn_copy_leaves_the_public_at_once(people):
    article = workflow.transition(
        ArticleFactory(status="approved"), "publish_now", user=people["editor"]
    )
    workflow.transition(article, "withdraw", user=people["chief"], note="当事人要求更正")
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_refusal_says_why_in_chinese(people):
    article = ArticleFactory(status="draft", created_by=people["reporter"])
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(article, "approve", user=people["editor"])
    assert "草稿" in refused.value.message


def test_allowed_transitions_are_what_the_panel_offers(people):
    draft = ArticleFactory(status="draft", created_by=people["reporter"])
    assert [t.name for t in workflow.allowed_transitions(people["reporter"], draft)] == ["submit"]
    submitted = ArticleFactory(status="submitted", created_by=people["reporter"])
    assert {t.name for t in workflow.allowed_transitions(people["editor"], submitted)} == {
        "return",
        "approve",
        "spike",
    }


def test_visible_articles_shows_each_role_the_copy_it_may_see(people):
    mine = ArticleFactory(created_by=people["reporter"], headline="我创建的草稿")
    bylined = ArticleFactory(headline="署了我名的草稿")
    BylineFactory(article=bylined, person=people["reporter"].person)
    colleague_draft = ArticleFactory(created_by=people["other_reporter"], headline="同事的草稿")
    on_desk = ArticleFactory(status="submitted", headline="在编辑部的稿件")

    def seen(role):
        return {
            a.headline for a in permissions.visible_articles(people[role], Article.objects.all())
        }

    assert seen("reporter") == {mine.headline, bylined.headline}
    assert seen("photographer") == {on_desk.headline}
    assert seen("editor") == {
        mine.headline,
        bylined.headline,
        colleague_draft.headline,
        on_desk.headline,
    }
    assert seen("nobody") == set()


# --- 三审: review levels ------------------------------------------------------------


@pytest.mark.parametrize("levels", [1, 2, 3])
def test_review_level_matrix(levels, actors):
    """Each level is given only by the roles allowed at it; only the last one approves."""
    section = SectionFactory(review_levels=levels)
    mistakes = []
    for passed in range(levels):
        level = passed + 1
        for actor_name, user in actors.items():
            article = article_in("submitted", actors, section=section, review_level=passed)
            expected = actor_name in REVIEWERS[level]
            try:
                workflow.transition(article, "approve", user=user)
                outcome = True
            except workflow.TransitionRefused:
                outcome = False
            article.refresh_from_db()
            logged = list(article.transitions.values_list("level", "to_status"))
            target = "approved" if level == levels else "submitted"
            if outcome != expected:
                mistakes.append(f"{actor_name} at level {level} of {levels}: allowed={outcome}")
            elif outcome and (
                article.status != target
                or article.review_level != level
                or logged != [(level, target)]
            ):
                mistakes.append(f"{actor_name} at level {level} of {levels}: not applied")
            elif not outcome and (article.review_level != passed or logged):
                mistakes.append(f"{actor_name} at level {level} of {levels}: refused but changed")
    assert mistakes == []


def reviewed_by(article, *users):
    for user in users:
        article = workflow.transition(article, "approve", user=user)
    return article


def test_three_levels_take_three_people_and_each_is_on_record(people):
    article = ArticleFactory(section=SectionFactory(review_levels=3), created_by=people["reporter"])
    workflow.transition(article, "submit", user=people["reporter"])
    article = reviewed_by(article, people["editor"], people["desk_head"])
    assert article.status == "submitted" and article.approved_by is None
    assert str(workflow.review_progress(article)) == "终审（3/3）"
    article = reviewed_by(article, people["chief"])
    assert article.status == "approved" and article.approved_by == people["chief"]
    approvals = article.transitions.filter(action="approve").order_by("pk")
    assert [(a.actor.username, a.level) for a in approvals] == [
        ("editor", 1),
        ("deskhead", 2),
        ("chief", 3),
    ]
    assert [str(a) for a in approvals] == ["初审通过", "复审通过", "终审通过"]


def test_a_level_short_of_the_last_leaves_the_submission_as_it_was(people):
    article = ArticleFactory(section=SectionFactory(review_levels=2), created_by=people["reporter"])
    article = workflow.transition(article, "submit", user=people["reporter"])
    submitted = (article.submitted_at, article.submitted_by)
    article = reviewed_by(article, people["editor"])
    assert (article.submitted_at, article.submitted_by) == submitted
    assert article.approved_at is None


def test_nobody_gives_two_levels_of_one_round(people):
    article = ArticleFactory(section=SectionFactory(review_levels=3), status="submitted")
    article = reviewed_by(article, people["chief"])
    with pytest.raises(workflow.TransitionRefused, match="复审"):
        workflow.transition(article, "approve", user=people["chief"])
    article.refresh_from_db()
    assert article.review_level == 1 and article.transitions.count() == 1
    # The desk head gives 复审; the chief, who gave 初审, still may not give 终审.
    article = reviewed_by(article, people["desk_head"])
    assert workflow.refusal(article, "approve", people["chief"]) is not None


def test_a_return_sends_copy_back_through_every_level(people):
    article = ArticleFactory(
        section=SectionFactory(review_levels=3),
        status="submitted",
        created_by=people["reporter"],
    )
    article = reviewed_by(article, people["editor"], people["desk_head"])
    article = workflow.transition(article, "return", user=people["chief"], note="数据要核实")
    assert article.status == "returned" and article.review_level == 0
    article = workflow.transition(article, "resubmit", user=people["reporter"])
    assert article.awaited_level == 1
    # A new round: the editor who gave 初审 before gives it again.
    article = reviewed_by(article, people["editor"], people["desk_head"], people["chief"])
    assert article.status == "approved"


def test_reopened_copy_is_reviewed_again_from_the_first_level(people):
    article = ArticleFactory(
        section=SectionFactory(review_levels=2), status="approved", review_level=2
    )
    article = workflow.transition(article, "reopen", user=people["desk_head"])
    assert (article.status, article.review_level, article.awaited_level) == ("submitted", 0, 1)
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(article, "approve", user=people["photographer"])


def test_withdrawing_a_submission_forgets_the_levels_passed(people):
    article = ArticleFactory(
        section=SectionFactory(review_levels=3), status="submitted", created_by=people["reporter"]
    )
    article = reviewed_by(article, people["editor"])
    article = workflow.transition(article, "unsubmit", user=people["reporter"])
    assert article.review_level == 0


def test_copy_without_a_section_needs_one_approval(people):
    article = reviewed_by(ArticleFactory(status="submitted", section=None), people["editor"])
    assert article.status == "approved"


def test_copy_moved_to_a_section_with_fewer_levels_still_needs_the_levels_it_was_submitted_with(
    people,
):
    article = ArticleFactory(section=SectionFactory(review_levels=3), status="submitted")
    article = reviewed_by(article, people["editor"])
    article.section = SectionFactory(review_levels=1)
    article = services.save_article(article, user=people["editor"])
    assert article.awaited_level == 2
    # The same editor may not give another level; 复审 and 终审 are still to come.
    assert workflow.refusal(article, "approve", people["editor"]) is not None
    article = reviewed_by(article, people["desk_head"])
    assert article.status == "submitted"
    article = reviewed_by(article, people["chief"])
    assert article.status == "approved"


def test_the_approve_button_names_the_level(people):
    article = ArticleFactory(section=SectionFactory(review_levels=3), status="submitted")
    labels = [str(t.label) for t in workflow.allowed_transitions(people["chief"], article)]
    assert "初审通过" in labels
    single = ArticleFactory(section=SectionFactory(review_levels=1), status="submitted")
    labels = [str(t.label) for t in workflow.allowed_transitions(people["editor"], single)]
    assert "审核通过" in labels


def test_the_preflight_says_which_level_copy_awaits(people):
    page = PageFactory(edition=EditionFactory())
    ArticleFactory(
        section=SectionFactory(review_levels=3),
        status="submitted",
        review_level=1,
        page=page,
        headline="待复审的稿件",
    )
    report = workflow.preflight(page.edition)
    messages = [str(p) for p in report.problems if p.code == "not_approved"]
    assert messages == ["“待复审的稿件”等待复审（2/3），尚未通过审核。"]
