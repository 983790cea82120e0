"""Article transitions: who may take which step from which state."""

import pytest

from articles import permissions, workflow
from articles.models import Article, TransitionLog
from tests.factories import ArticleFactory, BylineFactory, PageFactory

pytestmark = pytest.mark.django_db

STATES = [s.value for s in Article.Status]
FILERS = {"reporter", "correspondent", "superuser"}
DESK = {"editor", "chief", "superuser"}

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


def article_in(state, actors):
    article = ArticleFactory(status=state, created_by=actors["reporter"])
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
