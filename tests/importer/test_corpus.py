"""The corpus: pages of our own writing in other papers' layouts, each with its expected parse.

Every layout the importer reads has a page of its own, which must parse
exactly; the mixed pages count towards the figure the README states.
"""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importer.export import render_page
from articles.importer.parse import parse_page
from articles.importer.report import corpus_pages, score_items, score_page

CORPUS = Path(__file__).resolve().parent / "corpus"
PAGES = corpus_pages(CORPUS)

# The real corpora live beside the checkout or in ../shared, not in it
# (corpus/real/README.md): "real" (Sogou samples, research use only) and "open"
# (public domain and CC BY text, placed in shared/ for CI).
_CHECKOUT = Path(__file__).resolve().parents[2]
_SHARED = Path(os.environ.get("NEWSROOM_SHARED", _CHECKOUT.parent / "shared"))


def real_corpus(name, variable):
    """Return the folder of the real corpus called name, or None where it is absent."""
    candidates = [
        Path(os.environ[variable]) if os.environ.get(variable) else None,
        _SHARED / "importer-corpus" / name,
        _CHECKOUT.parent / "importer-corpus" / name,
    ]
    return next((path for path in candidates if path and path.is_dir()), None)


REAL = real_corpus("real", "NEWSROOM_REAL_CORPUS")
OPEN = real_corpus("open", "NEWSROOM_OPEN_CORPUS")
REAL_SOURCES = json.loads((CORPUS / "real" / "sources.json").read_text(encoding="utf-8"))

# One page per layout of issue 15.
LAYOUT_PAGES = [
    "01_other_papers_datelines",  # X讯 with and without brackets, two people after one label
    "02_brackets_and_spacing",  # （ ） and ( ), spaces or none, 记者甲乙 and 记者 甲乙
    "03_national_bylines",  # 本报记者  甲乙丙  丁  戊, 新华社记者 line, byline over a dateline
    "04_agency_and_datelined",  # 新华社…电（记者 …）, 本报北京…电, 中新社…电, 记者甲乙报道
    "05_headline_stacks",  # kicker ending ——, column labels, subheadline starting ——
    "06_intertitles",  # 小标题 unmarked, ◆-led, □-led
    "07_pictures",  # an article's pictures above, inside and below it; photo news
    "08_commentary",  # □ 甲乙, ◎甲乙, 作者：甲乙, signatures at the end
    "09_continued_head",  # （下转第3版）mid-sentence and on a line of its own
    "10_continued_tail",  # （上接第1版）
    "11_indented_paragraphs",  # full-width indents, lines broken after a full stop
]


def content(items):
    said = []
    for item in (item.to_dict() for item in items):
        del item["line"]
        for photo in item["photos"]:
            del photo["line"]
        said.append(item)
    return said


def test_the_corpus_has_a_page_for_every_layout_and_mixed_pages():
    names = [path.stem for path in PAGES]
    assert len(names) >= 15
    assert set(LAYOUT_PAGES) < set(names)
    assert len([name for name in names if "mixed" in name]) >= 4


@pytest.mark.parametrize("name", LAYOUT_PAGES)
def test_each_layout_page_parses_exactly_as_expected(name):
    score = score_page(CORPUS / f"{name}.txt")
    wrong = [(m.expected or m.parsed)["headline"] for m in score.mismatches]
    assert (score.right, score.error, wrong) == (score.total, "", [])


def test_at_least_95_percent_of_the_corpus_items_are_read_right():
    scores = [score_page(path) for path in PAGES]
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    assert total >= 75
    assert right / total >= 0.95


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_every_corpus_page_printed_back_reads_as_the_same_items(path):
    items = parse_page(path.read_text(encoding="utf-8")).items
    assert content(parse_page(render_page(items)).items) == content(items)


def test_parse_report_prints_every_page_and_the_total():
    out = StringIO()
    call_command("parse_report", str(CORPUS), "--fail-under", "95", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(PAGES) + 1
    assert lines[0].startswith("01_other_papers_datelines") and "5/5" in lines[0]
    assert lines[-1].startswith("total: ") and f"on {len(PAGES)} pages" in lines[-1]


def write_page(folder, name, text, items):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.expected.json").write_text(
        json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8"
    )


ARTICLE = {
    "kind": "article",
    "headline": "标题",
    "source": "本报讯",
    "bylines": [{"name": "林晓", "role": "reporter"}],
    "paragraphs": ["正文。"],
}


def test_parse_report_shows_what_is_wrong_and_fails_under_the_threshold(tmp_path):
    write_page(
        tmp_path, "page", "标题\n\n本报讯(记者 林晓)正文。\n", [{**ARTICLE, "kicker": "引题"}]
    )
    out = StringIO()
    with pytest.raises(CommandError, match="0.0% of items right is under 95"):
        call_command("parse_report", str(tmp_path), "--fail-under", "95", "--details", stdout=out)
    report = out.getvalue()
    assert "0/1" in report
    assert "kicker: expected 引题" in report


def test_parse_report_counts_a_refused_page_as_all_wrong(tmp_path):
    write_page(tmp_path, "page", "本报讯(记者 林晓)没有标题。\n", [ARTICLE, ARTICLE])
    out = StringIO()
    call_command("parse_report", str(tmp_path), stdout=out)
    assert "0/2" in out.getvalue()
    assert "refused: 第1行" in out.getvalue()


def test_parse_report_refuses_a_folder_without_pages(tmp_path):
    with pytest.raises(CommandError, match="no \\*.txt page"):
        call_command("parse_report", str(tmp_path))


def test_a_missed_item_costs_one_item_and_the_ones_after_it_stay_right():
    first, second, third = ({**ARTICLE, "headline": h} for h in ("甲", "乙", "丙"))
    parsed = [
        {**first, "line": 1, "photos": [], "intertitles": []},
        {**third, "line": 9, "photos": [], "intertitles": []},
    ]
    right, total, mismatches = score_items([first, second, third], parsed)
    assert (right, total) == (2, 3)
    assert [(m.expected["headline"], m.parsed) for m in mismatches] == [("乙", None)]


def test_an_item_split_in_two_counts_both_halves_wrong():
    whole = {**ARTICLE, "paragraphs": ["一。", "二。"]}
    halves = [
        {**ARTICLE, "paragraphs": ["一。"]},
        {**ARTICLE, "headline": "二", "paragraphs": ["二。"]},
    ]
    right, total, mismatches = score_items([whole], halves)
    assert (right, total) == (0, 2)
    assert mismatches[0].fields == ["paragraphs"]
    assert mismatches[1].expected is None


@pytest.fixture(scope="module")
def real_pages():
    if REAL is None:
        pytest.skip(
            "the real corpus is not beside this checkout (../importer-corpus/real or "
            "NEWSROOM_REAL_CORPUS); its text is not the project's to redistribute"
        )
    return corpus_pages(REAL)


def test_the_real_corpus_is_30_pages_each_with_its_sources_recorded(real_pages):
    assert [path.stem for path in real_pages] == [page["page"] for page in REAL_SOURCES]
    assert len(real_pages) >= 30
    for path, page in zip(real_pages, REAL_SOURCES, strict=True):
        items = json.loads(path.with_name(path.stem + ".expected.json").read_text())["items"]
        assert len(items) == len(page["items"])
        assert all(item["repo"] and item["commit"] and item["docno"] for item in page["items"])


def test_at_least_97_percent_of_the_real_corpus_items_are_read_right(real_pages):
    scores = [score_page(path) for path in real_pages]
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    assert right / total >= 0.97, [(s.name, s.right, s.total) for s in scores if s.right < s.total]


@pytest.fixture(scope="module")
def open_pages():
    if OPEN is None:
        pytest.skip(
            "the open real corpus is not in ../shared/importer-corpus/open, beside this "
            "checkout (../importer-corpus/open) or at NEWSROOM_OPEN_CORPUS"
        )
    return corpus_pages(OPEN)


def test_the_open_corpus_records_each_items_source_licence_and_attribution(open_pages):
    sources = json.loads((OPEN / "sources.json").read_text(encoding="utf-8"))
    assert [path.stem for path in open_pages] == [page["page"] for page in sources]
    assert len(open_pages) >= 30
    assert (OPEN / "NOTICE.md").is_file()
    for path, page in zip(open_pages, sources, strict=True):
        items = json.loads(path.with_name(path.stem + ".expected.json").read_text())["items"]
        assert len(items) == len(page["items"])
        for item in page["items"]:
            assert all(item[key] for key in ("repo", "path", "commit", "url", "licence"))
            assert item["attribution"] and item["ours"]


def test_at_least_97_percent_of_the_open_corpus_items_are_read_right(open_pages):
    scores = [score_page(path) for path in open_pages]
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    assert total >= 100
    assert right / total >= 0.97, [(s.name, s.right, s.total) for s in scores if s.right < s.total]
