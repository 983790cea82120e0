import pytest

from articles.models import WordEntry, WordList
from articles.wordcheck import lists
from articles.wordcheck.matching import normalize


@pytest.fixture(autouse=True)
def _fresh_automaton():
    """Each test builds its lists anew: the process's automaton starts empty."""
    lists.forget()
    yield
    lists.forget()


def make_list(name="审校词表", entries=(), active=True):
    """A list with entries given as (word, category, severity, replacement, note) tuples."""
    word_list = WordList.objects.create(name=name, is_active=active)
    for word, category, severity, *rest in entries:
        replacement, note = (list(rest) + ["", ""])[:2]
        WordEntry.objects.create(
            word_list=word_list,
            word=word,
            key=normalize(word),
            category=category,
            severity=severity,
            replacement=replacement,
            note=note,
        )
    return word_list


SAMPLE = [
    ("根治", "advertising", "block", "", "广告法：不得保证疗效"),
    ("按装", "typo", "fix", "安装", "“安装”的“安”不作“按”"),
    ("最佳", "advertising", "warn", "", "广告法：慎用最高级"),
]


@pytest.fixture
def sample_list(db):
    return make_list(entries=SAMPLE)
