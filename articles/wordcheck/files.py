"""Word lists as files: plain text (one entry a line, fields by tabs) and Excel, in and out.

A line or a row holds the word, then optionally its category, severity,
suggested replacement and note, in that order (an Excel sheet may name its
columns in a header row instead: 词语, 类别, 级别, 建议改为, 说明).
Categories and severities are written in Chinese (错别字, 改正) or as their
codes (typo, fix); what a line leaves out takes the import form's defaults.
A file is read whole before anything is written: any bad line refuses the
import, listing every problem with its line number.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from articles.wordcheck.matching import normalize
from articles.wordcheck.models import Category, Severity, WordEntry
from articles.wordcheck.services import Row, problems_of

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
COLUMNS = ("word", "category", "severity", "replacement", "note")


def _headers() -> dict[str, str]:
    """Column names an Excel header row may use, in Chinese and in English."""
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for name, label in (
                ("word", _("word or phrase")),
                ("category", _("category")),
                ("severity", _("severity")),
                ("replacement", _("suggested replacement")),
                ("note", _("note")),
            ):
                names[str(label).lower()] = name
    names.update(
        {
            "词语": "word",
            "类别": "category",
            "级别": "severity",
            "建议改为": "replacement",
            "说明": "note",
        }
    )
    names.update({name: name for name in COLUMNS})
    return names


# The file format's own Chinese names, whatever the interface's language.
NAMES = {
    "category": {
        "禁用词": Category.BANNED,
        "慎用词": Category.CAUTION,
        "错别字": Category.TYPO,
        "广告法用语": Category.ADVERTISING,
        "规范称谓": Category.TITLE,
        "其他": Category.OTHER,
    },
    "severity": {"禁止": Severity.BLOCK, "提示": Severity.WARN, "改正": Severity.FIX},
}


def _choices(choices, names) -> dict[str, str]:
    """Every way a file may name a choice: its code, its Chinese and English labels."""
    names = {name: str(value) for name, value in names.items()}
    for value, label in choices.choices:
        names[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[str(label).lower()] = value
    return names


@dataclass
class Read:
    """A file read: its rows, or the problems that stop it, each with its line."""

    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Reader:
    def __init__(self, category: str, severity: str) -> None:
        self.defaults = {"category": category, "severity": severity}
        self.categories = _choices(Category, NAMES["category"])
        self.severities = _choices(Severity, NAMES["severity"])
        self.result = Read()
        self.seen: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.result.problems.append(
            _("Line %(line)s: %(message)s") % {"line": line, "message": message}
        )

    def take(self, line: int, values: dict[str, str]) -> None:
        values = {name: (values.get(name) or "").strip() for name in COLUMNS}
        if not values["word"] and not any(values.values()):
            return  # a blank line
        category = values["category"] or self.defaults["category"]
        severity = values["severity"] or self.defaults["severity"]
        row = Row(
            word=values["word"],
            category=self.categories.get(category.lower(), category),
            severity=self.severities.get(severity.lower(), severity),
            replacement=values["replacement"],
            note=values["note"],
        )
        for _field, message in problems_of(row):
            self.problem(line, message)
        key = normalize(row.word)
        if key and key in self.seen:
            self.problem(
                line,
                _("“%(word)s” is on line %(first)s already.")
                % {"word": row.word, "first": self.seen[key]},
            )
            return
        self.seen[key] = line
        self.result.rows.append(row)
        if len(self.result.rows) > MAX_ROWS:
            raise _TooLong


class _TooLong(Exception):
    pass


def too_big(size: int) -> Read | None:
    """The refusal of a file of size bytes, if it is over the limit (checked before reading)."""
    if size > MAX_BYTES:
        return Read(
            problems=[
                _("The file is larger than %(mb)s MB; split it into several lists.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            ]
        )
    return None


def _too_long() -> Read:
    return Read(
        problems=[_("A list holds at most %(rows)s entries; split it.") % {"rows": MAX_ROWS}]
    )


def read_text(data: bytes, *, category: str, severity: str) -> Read:
    """Read a plain-text list (UTF-8; one entry a line, its fields separated by tabs)."""
    if refused := too_big(len(data)):
        return refused
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Read(
            problems=[
                _("The file is not UTF-8 text (at byte %(offset)s); save it as UTF-8.")
                % {"offset": error.start}
            ]
        )
    if "\x00" in text:
        return Read(problems=[_("The file is not plain text.")])
    reader = _Reader(category, severity)
    try:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            reader.take(number, dict(zip(COLUMNS, line.split("\t"), strict=False)))
    except _TooLong:
        return _too_long()
    return reader.result


def read_excel(data: bytes, *, category: str, severity: str) -> Read:
    """Read the first sheet of an Excel file (.xlsx), with or without a header row."""
    if refused := too_big(len(data)):
        return refused
    # openpyxl is imported when a workbook is read or made (see ledger.export).
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return Read(problems=[_("The file is not an Excel workbook (.xlsx).")])
    reader, headers = _Reader(category, severity), _headers()
    try:
        sheet = book.worksheets[0]
        columns = list(COLUMNS)
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = ["" if cell is None else str(cell) for cell in cells]
            named = [headers.get(value.strip().lower()) for value in values]
            if number == 1 and "word" in named:
                columns = [name or "" for name in named]
                continue
            reader.take(number, dict(zip(columns, values, strict=False)))
    except _TooLong:
        return _too_long()
    finally:
        book.close()
    return reader.result


def _export_rows(entries):
    for entry in entries:
        yield [
            entry.word,
            str(Category(entry.category).label),
            str(Severity(entry.severity).label),
            entry.replacement,
            entry.note,
        ]


def _header() -> list[str]:
    return [
        _("word or phrase"),
        _("category"),
        _("severity"),
        _("suggested replacement"),
        _("note"),
    ]


def write_text(entries: list[WordEntry]) -> bytes:
    """The list as plain text, read back by read_text."""
    lines = ["# " + "\t".join(_header())]
    lines += ["\t".join(cell.replace("\t", " ") for cell in row) for row in _export_rows(entries)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_excel(entries: list[WordEntry], title: str) -> bytes:
    """The list as an Excel workbook with a header row, read back by read_excel."""
    from openpyxl import Workbook  # see read_excel

    book = Workbook(write_only=True)
    # Excel refuses these in a sheet's name, and more than 31 characters.
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "list")
    sheet.append(_header())
    for row in _export_rows(entries):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
