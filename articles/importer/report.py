"""How well the parser reads pages whose parse is known: the corpus figure.

A folder holds pages as ``*.txt``, each beside ``*.expected.json``: the items
an editor reads on that page, either as a list (the seed's format) or as
``{"items": [...]}`` (the ``--dry-run --json`` format). An item is right when
every field compared below equals the expected value; a field the expected
item leaves out must keep its empty default. Items are paired in page order,
so that one item missed or split does not make every later one wrong.
"""

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from articles.importer.parse import PageFormatError, parse_page

# What an item is judged on; "line" (where it starts) is not compared.
FIELDS: dict[str, object] = {
    "kind": "",
    "kicker": "",
    "headline": "",
    "subheadline": "",
    "column": "",
    "source": "",
    "bylines": [],
    "paragraphs": [],
    "intertitles": [],
    "photos": [],
    "continued_on": None,
    "continued_from": None,
}


def comparable(item):
    """Return the judged fields of an item dict, defaults filled in, photo lines dropped."""
    values = {name: item.get(name, default) for name, default in FIELDS.items()}
    values["photos"] = [
        {"caption": photo.get("caption", ""), "bylines": photo.get("bylines", [])}
        for photo in values["photos"]
    ]
    return values


@dataclass
class Mismatch:
    expected: dict | None  # None: an item the parser made up
    parsed: dict | None  # None: an item the parser missed
    fields: list = field(default_factory=list)  # names of the fields that differ


@dataclass
class PageScore:
    name: str
    right: int = 0
    total: int = 0
    warnings: int = 0
    error: str = ""  # the refusal, if the parser refused the page
    mismatches: list = field(default_factory=list)


def score_items(expected, parsed):
    """Return (right, total, mismatches) for expected and parsed item dicts."""
    want = [comparable(item) for item in expected]
    got = [comparable(item) for item in parsed]
    keys = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in want]
    matcher = difflib.SequenceMatcher(
        a=keys,
        b=[json.dumps(item, ensure_ascii=False, sort_keys=True) for item in got],
        autojunk=False,
    )
    right, mismatches = 0, []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            right += a2 - a1
            continue
        wanted, made = want[a1:a2], got[b1:b2]
        for n in range(max(len(wanted), len(made))):
            e = wanted[n] if n < len(wanted) else None
            p = made[n] if n < len(made) else None
            fields = [name for name in FIELDS if e and p and e[name] != p[name]]
            mismatches.append(Mismatch(e, p, fields))
    return right, right + len(mismatches), mismatches


def expected_items(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["items"] if isinstance(data, dict) else data


def score_page(text_path):
    """Parse the page at text_path and score it against its .expected.json."""
    text_path = Path(text_path)
    expected = expected_items(text_path.with_name(text_path.stem + ".expected.json"))
    score = PageScore(text_path.stem)
    try:
        result = parse_page(text_path.read_text(encoding="utf-8"))
    except PageFormatError as error:
        score.error = str(error)
        score.total = len(expected)
        score.mismatches = [Mismatch(comparable(item), None) for item in expected]
        return score
    score.warnings = len(result.warnings)
    score.right, score.total, score.mismatches = score_items(
        expected, [item.to_dict() for item in result.items]
    )
    return score


def corpus_pages(folder):
    """Return the pages of a folder that have an expected parse, in name order."""
    folder = Path(folder)
    return sorted(
        path
        for path in folder.glob("*.txt")
        if path.with_name(path.stem + ".expected.json").exists()
    )


# --- how fast the parser reads: generated pages of each shape -------------------

_SPEED_SHAPES = {
    # Ordinary copy: headline, dateline, paragraphs broken by the columns.
    "articles": lambda n: (
        f"新闻标题第{n}条\n\n本报讯（记者 林晓 通讯员 陈光）第一段正文，写到栏尾\n\n"
        "在下一栏接着写完。\n\n第二段正文。\n\n\n"
    ),
    # Headline stacks: kicker, headline, subheadline over every short item.
    "headline stacks": lambda n: (
        f"引题第{n}行——\n\n主标题第{n}行\n\n——副题第{n}行\n\n本报讯 正文。\n\n"
    ),
    # Pictures: captions with their credits.
    "pictures": lambda n: f"图为第{n}处景色，游人如织。\n\n陈光 摄\n\n",
    # One paragraph broken into many short lines, no blank lines.
    "short lines": lambda n: f"正文第{n}行，没有写完\n",
    # Intertitles between paragraphs of one signed piece.
    "intertitles": lambda n: f"小标题第{n}个\n\n正文一段。\n\n",
}
_SPEED_FRAMES = {
    "articles": ("", ""),
    "headline stacks": ("", ""),
    "pictures": ("新闻标题\n\n本报讯（记者 林晓）导语。\n\n\n\n", ""),
    "short lines": ("新闻标题\n本报讯（记者 林晓）导语。\n", "全文完。\n"),
    "intertitles": ("评论标题\n\n□ 林晓\n\n导语。\n\n", "结尾。\n"),
}


def speed_pages(size_bytes):
    """Return (shape, text) pages of at least size_bytes each, one per shape the parser reads."""
    pages = []
    for name, unit in _SPEED_SHAPES.items():
        head, tail = _SPEED_FRAMES[name]
        parts, size, n = [head], len(head.encode()), 0
        while size < size_bytes:
            n += 1
            part = unit(n)
            parts.append(part)
            size += len(part.encode())
        parts.append(tail)
        pages.append((name, "".join(parts)))
    return pages
