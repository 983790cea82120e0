"""Matching is on characters: a word is found however the layout or the keyboard wrote it."""

import pytest

from articles.wordcheck.matching import Entry, Matcher, normalize


def entry(pk, word, severity="warn", category="caution", replacement=""):
    return Entry(pk, word, normalize(word), category, severity, replacement)


@pytest.fixture
def matcher():
    return Matcher(
        [
            entry(1, "按装", "fix", "typo", "安装"),
            entry(2, "根治", "block", "advertising"),
            entry(3, "WiFi"),
            entry(4, "再接再励", "fix", "typo", "再接再厉"),
        ]
    )


def found(matcher, text):
    return [(hit.found, hit.entry.word, hit.start, hit.end) for hit in matcher.find(text)]


def test_a_word_split_by_a_line_break_is_found_with_its_offsets_in_the_text_as_typed(matcher):
    text = "请及时按\n装，保证质量。"
    assert found(matcher, text) == [("按\n装", "按装", 3, 6)]
    assert text[3:6] == "按\n装"


def test_full_width_and_half_width_spaces_inside_a_word_do_not_hide_it(matcher):
    assert [f[0] for f in found(matcher, "可根\u3000治，也可根 治，或根\u200b治")] == [
        "根\u3000治",
        "根 治",
        "根\u200b治",
    ]


def test_full_width_latin_letters_and_case_are_folded(matcher):
    assert [f[0] for f in found(matcher, "免费ＷＩＦＩ覆盖，wifi 全城")] == ["ＷＩＦＩ", "wifi"]


def test_a_latin_entry_is_found_only_as_a_whole_word(matcher):
    assert found(matcher, "WiFiXL 与 superwifi") == []
    assert [f[0] for f in found(matcher, "开通WiFi。")] == ["WiFi"]


def test_every_occurrence_is_found_in_order(matcher):
    hits = matcher.find("再接再励，再接\n再励！根治")
    assert [(h.start, h.entry.word) for h in hits] == [
        (0, "再接再励"),
        (5, "再接再励"),
        (11, "根治"),
    ]


def test_one_word_in_two_lists_is_named_by_the_strictest_entry():
    matcher = Matcher([entry(1, "根治", "warn"), entry(2, "根治", "block")])
    assert [hit.severity for hit in matcher.find("根治")] == ["block"]


def test_an_empty_matcher_finds_nothing():
    assert Matcher([]).find("根治") == []
    assert Matcher([entry(1, " \u3000 ")]).find("  ") == []
