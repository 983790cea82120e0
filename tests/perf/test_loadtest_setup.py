"""The load test's own copy: made the way the desk would leave it, and removed after."""

import pytest

from articles.models import Article
from people.models import Person
from tests.perf.management.commands.loadtest import MARKER, Command

# Transactional: clean_up() closes the connection (the load may have restarted
# the database under it), which a test's own transaction would not survive; the
# migrations' rows (role groups) restored after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_editors_copy_can_be_published_and_withdrawn_and_is_removed_after():
    command = Command()
    to_publish, to_withdraw = command.prepare("loadtest-test", "secret-pass-123", 3)
    # Published through the workflow, which asks the review record (三审).
    published = Article.objects.filter(pk__in=to_withdraw)
    assert sorted(published.values_list("status", flat=True)) == ["published"] * 3
    waiting = Article.objects.filter(pk__in=to_publish)
    assert sorted(waiting.values_list("status", flat=True)) == ["approved"] * 3
    command.clean_up("loadtest-test")
    assert not Article.objects.filter(source=MARKER).exists()
    assert not Person.objects.filter(slug="loadtest-test").exists()
