"""The lists: kept by the chief and the desk heads, imported and exported, seen by every process."""

import io
import uuid

import pytest
from openpyxl import Workbook, load_workbook

from articles.models import WordEntry, WordList
from articles.permissions import Refused
from articles.wordcheck import checking, files, lists, matching
from articles.wordcheck import services as wordcheck
from articles.wordcheck.services import Row
from tests.wordcheck.conftest import SAMPLE, make_list

pytestmark = pytest.mark.django_db


def words_found(text):
    return [hit.entry.word for hit in checking.check_texts({"t": text})["t"]]


# --- every process sees a change at its next check -------------------------------------


def test_the_automaton_is_built_once_per_list_version(sample_list, monkeypatch):
    built = []
    original = matching.Matcher.__init__

    def counting(self, entries):
        built.append(1)
        original(self, entries)

    monkeypatch.setattr(matching.Matcher, "__init__", counting)
    for _ in range(3):
        assert words_found("可根治") == ["根治"]
    assert len(built) == 1


def test_a_change_made_elsewhere_reaches_this_process_without_a_restart(sample_list, people):
    assert words_found("服务最优") == []
    # Another app server adds a word: this process's automaton is older than the list.
    WordEntry.objects.create(
        word_list=sample_list, word="最优", key="最优", category="advertising", severity="warn"
    )
    WordList.objects.filter(pk=sample_list.pk).update(stamp=uuid.uuid4())
    assert words_found("服务最优") == ["最优"]


def test_a_change_through_the_services_is_seen_at_the_next_check(sample_list, people):
    assert words_found("服务最优") == []
    entry = WordEntry(word_list=sample_list, word="最优", category="advertising", severity="warn")
    wordcheck.save_word_entry(entry, user=people["desk_head"])
    assert words_found("服务最优") == ["最优"]
    wordcheck.delete_word_entry(entry, user=people["desk_head"])
    assert words_found("服务最优") == []


def test_a_list_made_inactive_is_no_longer_checked(sample_list, people):
    assert words_found("可根治") == ["根治"]
    sample_list.is_active = False
    wordcheck.save_word_list(sample_list, user=people["chief"])
    assert words_found("可根治") == []


def test_lists_changed_in_another_process_are_rebuilt_there_too(sample_list):
    assert words_found("可根治") == ["根治"]
    lists.forget()  # a new process
    assert words_found("可根治") == ["根治"]


# --- who keeps them, and what a bad entry gets ----------------------------------------


@pytest.mark.parametrize("role", ["desk_head", "chief"])
def test_the_desk_heads_and_the_chief_keep_the_lists(people, role):
    word_list = wordcheck.save_word_list(WordList(name="新词表"), user=people[role])
    entry = WordEntry(
        word_list=word_list, word="按装", category="typo", severity="fix", replacement="安装"
    )
    wordcheck.save_word_entry(entry, user=people[role])
    assert entry.key == "按装" and word_list.entries.count() == 1


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "editor", "nobody"])
def test_nobody_else_keeps_the_lists(people, sample_list, role):
    with pytest.raises(Refused):
        wordcheck.save_word_list(WordList(name="新词表"), user=people[role])
    with pytest.raises(Refused):
        wordcheck.save_word_entry(
            WordEntry(word_list=sample_list, word="最优", severity="warn"), user=people[role]
        )
    with pytest.raises(Refused):
        wordcheck.import_word_entries(sample_list, [Row("最优")], user=people[role])
    assert not WordList.objects.filter(name="新词表").exists()


def test_only_the_chief_deletes_a_list(people, sample_list):
    with pytest.raises(Refused):
        wordcheck.delete_word_list(sample_list, user=people["desk_head"])
    wordcheck.delete_word_list(sample_list, user=people["chief"])
    assert not WordList.objects.exists()


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"word": "  ", "severity": "warn"}, "word"),
        ({"word": "按装", "severity": "fix"}, "replacement"),
        ({"word": "按装", "severity": "fix", "replacement": "按 装"}, "replacement"),
        ({"word": "字" * 65, "severity": "warn"}, "word"),
        ({"word": "按装", "severity": "never"}, "severity"),
        ({"word": "按装", "category": "nonsense", "severity": "warn"}, "category"),
        ({"word": "ＷｉＦｉ　热点", "severity": "warn"}, None),  # a fine word, written full-width
    ],
)
def test_a_bad_entry_is_refused_with_its_field(people, sample_list, entry, field):
    row = WordEntry(word_list=sample_list, **{"category": "typo", **entry})
    if field is None:
        wordcheck.save_word_entry(row, user=people["chief"])
        return
    with pytest.raises(Refused) as refused:
        wordcheck.save_word_entry(row, user=people["chief"])
    assert refused.value.field == field


def test_a_word_already_in_the_list_is_refused_however_it_is_spaced(people, sample_list):
    with pytest.raises(Refused, match="按装"):
        wordcheck.save_word_entry(
            WordEntry(word_list=sample_list, word="按　装", severity="warn"), user=people["chief"]
        )


# --- files ---------------------------------------------------------------------------------


TEXT = "# 词语\t类别\t级别\t建议改为\t说明\n按装\t错别字\t改正\t安装\t安不作按\n根治\tadvertising\tblock\n\n最佳\n"


def test_a_text_file_is_read_with_defaults_for_what_a_line_leaves_out():
    read = files.read_text(TEXT.encode(), category="caution", severity="warn")
    assert read.ok, read.problems
    assert read.rows == [
        Row("按装", "typo", "fix", "安装", "安不作按"),
        Row("根治", "advertising", "block", "", ""),
        Row("最佳", "caution", "warn", "", ""),
    ]


@pytest.mark.parametrize(
    "data, problem",
    [
        ("按装\t错别字\t改正\n".encode(), "Line 1|第1行"),
        ("根治\t乱写\n".encode(), "Line 1|第1行"),
        ("最佳\n根治\n最 佳\n".encode(), "Line 3|第3行"),
        ("最佳".encode("gbk"), "UTF-8"),
        (b"\x00\x01binary", "plain text|纯文本|UTF-8"),
    ],
)
def test_a_malformed_text_file_is_refused_whole_with_its_line(data, problem):
    import re

    read = files.read_text(data, category="caution", severity="warn")
    assert not read.ok
    assert re.search(problem, " ".join(read.problems)), read.problems


def test_a_file_too_large_is_refused_before_it_is_read():
    read = files.read_text(b"x" * (files.MAX_BYTES + 1), category="caution", severity="warn")
    assert not read.ok and read.rows == []


def excel(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_sheet_is_read_by_its_header_row_in_any_column_order():
    data = excel(
        [
            ["说明", "词语", "级别", "建议改为"],
            ["安不作按", "按装", "改正", "安装"],
            [None, "根治", "禁止", None],
        ]
    )
    read = files.read_excel(data, category="typo", severity="warn")
    assert read.ok, read.problems
    assert read.rows == [
        Row("按装", "typo", "fix", "安装", "安不作按"),
        Row("根治", "typo", "block", "", ""),
    ]


def test_a_file_that_is_not_excel_is_refused():
    read = files.read_excel(b"PK\x03\x04 not really a workbook", category="typo", severity="warn")
    assert not read.ok


def test_a_list_exported_as_text_and_as_excel_reads_back_the_same(people, sample_list):
    entries = list(sample_list.entries.order_by("key"))
    expected = sorted(Row(w, c, s, r, n) for w, c, s, r, n in SAMPLE)
    for read in (
        files.read_text(files.write_text(entries), category="other", severity="warn"),
        files.read_excel(
            files.write_excel(entries, "审校:词表"), category="other", severity="warn"
        ),
    ):
        assert read.ok, read.problems
        assert sorted(read.rows) == expected
    sheet = load_workbook(io.BytesIO(files.write_excel(entries, "a/b"))).active
    assert sheet.max_row == len(entries) + 1


def test_an_import_adds_and_updates_and_replace_removes_the_rest(people, sample_list):
    rows = [Row("按装", "typo", "fix", "安装", "新说明"), Row("最优", "advertising", "warn")]
    done = wordcheck.import_word_entries(sample_list, rows, user=people["desk_head"])
    assert (done.created, done.updated, done.removed) == (1, 1, 0)
    assert sample_list.entries.count() == 4
    done = wordcheck.import_word_entries(sample_list, rows, user=people["desk_head"], replace=True)
    assert (done.created, done.updated, done.unchanged, done.removed) == (0, 0, 2, 2)
    assert sorted(sample_list.entries.values_list("word", flat=True)) == ["按装", "最优"]


def test_an_import_with_a_bad_row_writes_nothing(people, sample_list):
    before = sample_list.entries.count()
    with pytest.raises(Refused):
        wordcheck.import_word_entries(
            sample_list, [Row("最优"), Row("按装", "typo", "fix")], user=people["chief"]
        )
    assert sample_list.entries.count() == before


def test_a_new_list_is_checked_at_once(people):
    word_list = make_list("临时", [("示例禁用词", "banned", "block")])
    assert words_found("这是示例禁用\n词。") == ["示例禁用词"]
    assert word_list.entries.count() == 1
