"""选题 and 派稿: stories proposed by reporters or planned by the desk, assigned, declined, filed."""

import datetime

import lxml.html
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import services, workflow
from articles.models import Article, Assignment, Notification
from articles.permissions import Refused
from tests.factories import ArticleFactory, EditionFactory, PageFactory, SectionFactory
from tests.newsroom import client_for

pytestmark = pytest.mark.django_db

ADD = "admin:articles_assignment_add"
LIST = "admin:articles_assignment_changelist"
NOW = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


def change_url(assignment):
    return reverse("admin:articles_assignment_change", args=[assignment.pk])


def proposal(people, **fields):
    assignment = services.save_assignment(
        Assignment(topic="地铁二号线试运营首日", **fields), user=people["reporter"]
    )
    assignment.reporters.add(people["reporter"].person)
    return assignment


def form(assignment=None, **values):
    data = {
        "topic": "地铁二号线试运营首日",
        "notes": "",
        "target_chars": "",
        "deadline_0": "",
        "deadline_1": "",
    }
    if assignment is not None:
        data["base_version"] = str(assignment.version)
    data.update(values)
    return data


def test_a_reporter_proposes_a_story_they_will_write(people):
    reporter = client_for(people["reporter"])
    page = reporter.get(reverse(ADD)).content.decode()
    # The reporter is offered as the one who writes it.
    assert f'<option value="{people["reporter"].person.pk}" selected>' in page
    response = reporter.post(
        reverse(ADD), form(reporters=[people["reporter"].person.pk], notes="首日客流")
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.status == "proposed" and assignment.proposed_by == people["reporter"]
    assert list(assignment.reporters.all()) == [people["reporter"].person]


def test_the_desk_assigns_a_proposal_and_the_draft_is_the_reporters(people):
    section = SectionFactory(name="城市", review_levels=3)
    assignment = proposal(people, section=section, photographer=people["photographer"].person)
    editor = client_for(people["editor"])
    response = editor.post(
        change_url(assignment),
        form(
            assignment,
            reporters=[people["reporter"].person.pk],
            photographer=people["photographer"].person.pk,
            section=section.pk,
            target_chars="800",
            _assignment="accept",
            decision="今晚八点前交稿。",
        ),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    draft = assignment.article
    assert assignment.status == "accepted" and assignment.target_chars == 800
    assert (
        assignment.decided_by == people["editor"] and assignment.decision_note == "今晚八点前交稿。"
    )
    assert (draft.headline, draft.status, draft.section, draft.created_by) == (
        "地铁二号线试运营首日",
        "draft",
        section,
        people["reporter"],
    )
    assert [(b.person.name, b.role) for b in draft.bylines.all()] == [
        ("林晓", "reporter"),
        ("陈光", "photographer"),
    ]
    told = Notification.objects.filter(kind="assigned", assignment=assignment)
    assert {n.recipient.username for n in told} == {"reporter", "photo"}
    # The reporter writes it; it is theirs.
    assert (
        client_for(people["reporter"])
        .get(reverse("admin:articles_article_change", args=[draft.pk]))
        .content.decode()
        .count('name="_save"')
        == 1
    )


def test_a_decline_needs_a_reason_and_tells_whoever_proposed_it(people):
    assignment = proposal(people)
    with pytest.raises(Refused):
        services.decline_assignment(assignment, user=people["editor"], note=" ")
    services.decline_assignment(assignment, user=people["editor"], note="上周已报道过。")
    assignment.refresh_from_db()
    assert assignment.status == "declined" and assignment.article is None
    notice = Notification.objects.get(recipient=people["reporter"])
    assert (notice.kind, notice.note) == ("proposal_declined", "上周已报道过。")


@pytest.mark.parametrize("step", ["accept", "decline"])
def test_a_reporter_cannot_decide_on_their_own_proposal(people, step):
    assignment = proposal(people)
    response = client_for(people["reporter"]).post(
        change_url(assignment),
        form(
            assignment,
            reporters=[people["reporter"].person.pk],
            _assignment=step,
            decision="自己批",
        ),
    )
    assert response.status_code == 200  # the form again, with the refusal
    assignment.refresh_from_db()
    assert assignment.status == "proposed"
    assert not Article.objects.exists()


def test_an_assignment_needs_a_reporter_before_it_is_assigned(people):
    assignment = services.save_assignment(Assignment(topic="无人认领"), user=people["editor"])
    with pytest.raises(Refused, match="记者"):
        services.accept_assignment(assignment, user=people["editor"])
    assert not Article.objects.exists()


def test_the_desk_plans_and_assigns_a_story_in_one_step(people):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, capacity=3000)
    response = client_for(people["editor"]).post(
        reverse(ADD),
        form(
            topic="图书馆24小时自助点启用",
            reporters=[people["reporter"].person.pk],
            page=page.pk,
            target_chars="600",
            _assignment="accept",
        ),
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.status == "accepted" and assignment.edition == edition
    assert assignment.article.created_by == people["reporter"]


def test_a_planned_page_belongs_to_the_planned_edition(people):
    other_page = PageFactory(edition=EditionFactory())
    with pytest.raises(Refused):
        services.save_assignment(
            Assignment(topic="错版", edition=EditionFactory(), page=other_page),
            user=people["editor"],
        )


def test_submitting_the_draft_files_the_assignment_and_withdrawing_unfiles_it(people):
    assignment = services.accept_assignment(proposal(people), user=people["editor"])
    draft = assignment.article
    workflow.transition(draft, "submit", user=people["reporter"])
    assignment.refresh_from_db()
    assert assignment.status == "filed" and assignment.filed_at is not None
    workflow.transition(draft, "unsubmit", user=people["reporter"])
    assignment.refresh_from_db()
    assert assignment.status == "accepted" and assignment.filed_at is None


def test_once_assigned_only_the_desk_changes_the_plan(people):
    assignment = services.accept_assignment(proposal(people), user=people["editor"])
    with pytest.raises(Refused):
        services.save_assignment(assignment, user=people["reporter"])
    assignment.target_chars = 900
    services.save_assignment(assignment, user=people["desk_head"])
    assert Assignment.objects.get().target_chars == 900


def test_a_reporter_named_on_a_colleagues_proposal_does_not_change_it_before_the_desk_decides(
    people,
):
    proposed = services.save_assignment(
        Assignment(topic="社区食堂开张", notes="许诺的想法"),
        user=people["other_reporter"],
        reporters=[people["other_reporter"].person, people["reporter"].person],
    )
    named = people["reporter"]
    # They see it (they are to write it), but only whoever proposed it changes it.
    assert client_for(named).get(change_url(proposed)).status_code == 200
    proposed.notes = "林晓改的"
    with pytest.raises(Refused):
        services.save_assignment(proposed, user=named, reporters=[named.person])
    client_for(named).post(
        change_url(proposed), form(proposed, notes="林晓改的", reporters=[named.person.pk])
    )
    stored = Assignment.objects.get()
    assert stored.notes == "许诺的想法"
    assert set(stored.reporters.all()) == {people["other_reporter"].person, named.person}


def test_a_stale_form_is_refused_and_nothing_is_lost(people):
    assignment = proposal(people)
    opened = assignment.version
    assignment.notes = "先改的"
    services.save_assignment(assignment, user=people["reporter"])
    response = client_for(people["reporter"]).post(
        change_url(assignment),
        form(
            assignment,
            base_version=str(opened),
            notes="后改的",
            reporters=[people["reporter"].person.pk],
        ),
    )
    assert response.status_code == 200 and "后改的" in response.content.decode()
    assert Assignment.objects.get().notes == "先改的"


@time_machine.travel(NOW, tick=False)
def test_overdue_assignments_are_flagged(people):
    late = proposal(people, deadline=NOW - datetime.timedelta(hours=1))
    proposal(people, deadline=NOW + datetime.timedelta(hours=1))
    done = services.accept_assignment(
        proposal(people, deadline=NOW - datetime.timedelta(days=1)), user=people["editor"]
    )
    workflow.transition(done.article, "submit", user=people["reporter"])
    assert list(Assignment.objects.overdue()) == [late]
    listing = client_for(people["editor"]).get(reverse(LIST), {"overdue": "1"}).content.decode()
    rows = lxml.html.fromstring(listing).cssselect("#result_list tbody tr")
    assert [len(row.cssselect(".nr-badge--overdue")) for row in rows] == [1]
    assert "1 个选题" in listing


def test_each_person_lists_only_their_own_assignments(people):
    proposal(people)
    services.save_assignment(Assignment(topic="同事的报题"), user=people["other_reporter"])
    listing = client_for(people["reporter"]).get(reverse(LIST)).content.decode()
    assert "地铁二号线试运营首日" in listing and "同事的报题" not in listing
    assert "同事的报题" in client_for(people["editor"]).get(reverse(LIST)).content.decode()


def test_the_assignment_list_costs_the_same_queries_however_long(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = client_for(people["editor"])

    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(reverse(LIST)).status_code == 200
        return len(queries)

    services.accept_assignment(
        proposal(people, photographer=people["photographer"].person), user=people["editor"]
    )
    one = list_queries()
    page = PageFactory(capacity=2000)
    for n in range(15):
        assignment = proposal(people, page=page, deadline=timezone.now())
        assignment.reporters.add(people["other_reporter"].person)
        if n % 2:
            services.accept_assignment(assignment, user=people["editor"])
    assert list_queries() == one


def test_the_desk_finds_the_planned_page_by_name(people):
    page = PageFactory(name="要闻", number=1)
    PageFactory(name="综合", number=2, edition=page.edition)
    response = client_for(people["editor"]).get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "assignment", "field_name": "page", "term": "要闻"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(page.pk)]


def test_the_planner_compares_each_page_with_its_capacity_at_a_fixed_cost(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = EditionFactory()
    editor = client_for(people["editor"])
    url = reverse("admin:articles_edition_planner", args=[edition.pk])

    def fill(pages):
        for _ in range(pages):
            page = PageFactory(edition=edition, capacity=20)
            ArticleFactory(status="approved", page=page, body="十个汉字组成的正文。")
            planned = proposal(people, page=page, target_chars=500)
            services.accept_assignment(planned, user=people["editor"])

    def planner():
        with CaptureQueriesContext(connection) as queries:
            response = editor.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    fill(1)
    content, one = planner()
    assert "已排 10 字，容量 20 字" in content and "计划 500 字" in content
    fill(6)
    content, seven = planner()
    assert seven == one
    assert content.count("超出") == 0 and content.count("加上计划稿件：共 510 字") == 7
    small = PageFactory(edition=edition, capacity=5)
    ArticleFactory(status="approved", page=small, body="十个汉字组成的正文。")
    content, _count = planner()
    assert content.count("超出 5 字") == 1


def test_the_brief_travels_with_the_draft_to_its_form_the_workbench_and_the_planner(people):
    """What the desk asked (给记者的话, 说明, 计划字数) and the page it planned go with the draft."""
    edition = EditionFactory()
    PageFactory(edition=edition, number=1, name="要闻")
    city = PageFactory(edition=edition, number=2, name="城市")
    assignment = services.save_assignment(
        Assignment(
            topic="地铁二号线试运营首日",
            notes="采访首班车乘客和站务员。",
            target_chars=800,
            edition=edition,
            page=city,
            deadline=timezone.now() + datetime.timedelta(hours=6),
        ),
        user=people["editor"],
    )
    assignment.reporters.add(people["reporter"].person)
    services.accept_assignment(assignment, user=people["editor"], note="今晚八点前交稿。")
    draft = Assignment.objects.get(pk=assignment.pk).article

    reporter = client_for(people["reporter"])
    page = reporter.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    brief = lxml.html.fromstring(page).cssselect(".nr-brief")[0].text_content()
    for words in ("派稿要求", "给记者的话", "今晚八点前交稿。", "说明", "采访首班车乘客和站务员。"):
        assert words in brief
    assert "计划字数" in brief and "800 字" in brief and "第2版 城市" in brief
    board = reporter.get(reverse("admin:index")).content.decode()
    assert "今晚八点前交稿。" in board and "采访首班车乘客和站务员。" in board

    # Approved, the story waits for a page: 第2版 城市 is offered first, on its form and the planner.
    Article.objects.filter(pk=draft.pk).update(status="approved")
    editor = client_for(people["editor"])
    form_page = lxml.html.fromstring(
        editor.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    )
    chosen = form_page.cssselect("#nr-place-page option[selected]")
    assert [o.get("value") for o in chosen] == [str(city.pk)]
    planner = lxml.html.fromstring(
        editor.get(reverse("admin:articles_edition_planner", args=[edition.pk])).content.decode()
    )
    chosen = planner.cssselect(f"#nr-page-{draft.pk} option[selected]")
    assert [o.get("value") for o in chosen] == [str(city.pk)]
    assert "第2版 城市" in chosen[0].text_content()


def test_copy_without_a_brief_shows_none(people):
    draft = ArticleFactory(status="draft", created_by=people["reporter"])
    page = (
        client_for(people["reporter"])
        .get(reverse("admin:articles_article_change", args=[draft.pk]))
        .content.decode()
    )
    assert "nr-brief" not in page
