"""A month's 稿费 as finance takes it: an Excel workbook, one line a row, with totals.

Sheet 稿费明细: 姓名, 单位, 稿件, 日期, 版次, 字数, 金额, 备注, and a 合计 row;
sheet 按人汇总: each person's pieces, 字数 and amount, and a 合计 row.
Amounts are numbers to the fen (written from Decimals), the paid amount of
each line with its adjustments; the remarks say what made it.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings

from articles.ledger.fees import payable
from articles.ledger.models import ZERO, FeeLine

HEADER = ("姓名", "单位", "稿件", "日期", "版次", "字数", "金额", "备注")
SUMMARY = ("姓名", "单位", "篇数", "字数", "金额")
MONEY_FORMAT = "#,##0.00"


def remarks(line: FeeLine) -> str:
    """What made the line's amount: its note, each adjustment and why."""
    parts = [line.note] if line.note else []
    for adjustment in line.adjustments.all():
        sign = "+" if adjustment.amount > 0 else ""
        parts.append(f"调整{sign}{adjustment.amount}：{adjustment.reason}")
    return "；".join(parts)


def unit(line: FeeLine) -> str:
    return line.organization or settings.NEWSPAPER_NAME


def page_label(line: FeeLine) -> str:
    return f"第{line.page_number}版" if line.page_number else "网络"


def workbook(lines: list[FeeLine], title: str) -> bytes:
    """The workbook of lines (with their adjustments prefetched), titled title."""
    # openpyxl (and the lxml it loads) is imported when a workbook is made, not
    # with the admin: it would be 14 MiB of every web worker's memory.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "稿费明细"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADER)
    total = ZERO
    people: dict[tuple[int | None, str], dict[str, Any]] = {}
    for line in lines:
        amount = payable(line)
        total += amount
        sheet.append(
            [
                line.person_name,
                unit(line),
                line.headline,
                line.published_on,
                page_label(line),
                line.chars,
                amount,
                remarks(line),
            ]
        )
        sheet.cell(row=sheet.max_row, column=4).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=7).number_format = MONEY_FORMAT
        key = (line.person_id, line.person_name)
        person = people.setdefault(
            key, {"unit": unit(line), "pieces": set(), "chars": 0, "amount": ZERO}
        )
        if line.kind != FeeLine.Kind.CARRY and line.article_id not in person["pieces"]:
            person["pieces"].add(line.article_id)
            if line.kind == FeeLine.Kind.TEXT:
                person["chars"] += line.chars
        person["amount"] += amount
    sheet.append(["合计", "", "", "", "", "", total, ""])
    sheet.cell(row=sheet.max_row, column=7).number_format = MONEY_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (10, 18, 36, 12, 8, 8, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width

    summary = book.create_sheet("按人汇总")
    summary.append(SUMMARY)
    for (_pk, name), person in sorted(people.items(), key=lambda item: item[0][1]):
        summary.append(
            [name, person["unit"], len(person["pieces"]), person["chars"], person["amount"]]
        )
        summary.cell(row=summary.max_row, column=5).number_format = MONEY_FORMAT
    summary.append(["合计", "", "", "", total])
    summary.cell(row=summary.max_row, column=5).number_format = MONEY_FORMAT
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def total_of(lines: list[FeeLine]) -> Decimal:
    return sum((payable(line) for line in lines), ZERO)
