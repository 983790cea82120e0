"""Row locks of the write path: two people acting at once on the same copy or edition."""

import pytest
from django.db import connection

from articles import permissions, services, workflow
from articles.desk import workflow as desk_workflow
from articles.models import Article, TransitionLog
from tests.concurrency import race
from tests.factories import ArticleFactory

pytestmark = [
    # Transactional (two threads commit), restoring the role groups the migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are shown on PostgreSQL only"
    ),
]


def test_of_two_steps_at_once_on_the_same_copy_only_one_is_taken(people, monkeypatch):
    article = ArticleFactory(status="submitted", created_by=people["reporter"])
    results = race(
        lambda: workflow.transition(article, "approve", user=people["editor"]),
        lambda: workflow.transition(article, "return", user=people["chief"], note="重写导语"),
        monkeypatch,
        desk_workflow,
        "refusal",
    )
    refused = [r for r in results.values() if isinstance(r, services.Refused)]
    assert len(refused) == 1, results
    assert Article.objects.get(pk=article.pk).status == "approved"
    assert TransitionLog.objects.filter(article=article).count() == 1


def test_of_two_saves_at_once_from_the_same_form_one_is_refused(people, monkeypatch):
    article = ArticleFactory(status="submitted", headline="原标题")
    version = article.version

    def save(user, headline):
        copy = Article.objects.get(pk=article.pk)
        copy.headline = headline
        return services.save_article(copy, user=user, base_version=version)

    results = race(
        lambda: save(people["editor"], "编辑的标题"),
        lambda: save(people["chief"], "总编的标题"),
        monkeypatch,
        permissions,
        "why_not_edit_article",
    )
    assert sum(isinstance(r, services.Stale) for r in results.values()) == 1, results
    assert Article.objects.get(pk=article.pk).headline == "编辑的标题"
