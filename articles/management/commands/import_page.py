import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.copy.printing import format_dateline
from articles.importer.load import PageImportError, import_page
from articles.importer.parse import PageFormatError, check_page_size, parse_page
from articles.management.commands._args import acting_user, iso_date, page_number
from articles.permissions import Refused
from media.models import format_credit


def read_text(path):
    """Return the UTF-8 text of path ('-' for standard input), or fail clearly."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    try:
        check_page_size(len(data))  # before decoding: an oversized file is not read further
    except PageFormatError as error:
        raise CommandError(f"{path}: {error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise CommandError(f"{path} is empty")
    return text


class Command(BaseCommand):
    help = "Import a plain-text newspaper page as draft copy on an edition page."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the page as UTF-8 plain text, or - for standard input")
        parser.add_argument("--date", required=True, type=str, help="edition date, YYYY-MM-DD")
        parser.add_argument("--page", required=True, type=str, help="page number, 1 for 第1版")
        parser.add_argument("--name", default="", help="page name (版名), e.g. 要闻")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="the editor who imports: the copy is filed by them (required unless --dry-run)",
        )
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed page as JSON")

    def handle(self, *args, **options):
        date = iso_date(options["date"])
        number = page_number(options["page"])
        name = options["name"].strip()
        if len(name) > 32:
            raise CommandError("--name is longer than 32 characters")
        text = read_text(options["file"])
        try:
            parsed = parse_page(text)
        except PageFormatError as error:
            raise CommandError(f"{options['file']}: {error}") from None
        items = parsed.items

        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1))
        # With --json, stdout carries only the JSON; the report goes to stderr.
        report = self.stderr if options["json"] else self.stdout
        if not options["json"]:
            for warning in parsed.warnings:
                report.write(self.style.WARNING(f"line {warning.line}: {warning.message}"))
        if options["dry_run"]:
            if not options["json"]:
                for position, item in enumerate(items, start=1):
                    report.write(self.describe(position, item))
                report.write(
                    f"{len(items)} items parsed, {len(parsed.warnings)} warnings; "
                    "nothing written (--dry-run)."
                )
            return

        user = acting_user(options["by"], "imports the page (an editor)")
        try:
            result = import_page(text, date=date, number=number, name=name, user=user)
        except (PageImportError, PageFormatError, Refused) as error:
            raise CommandError(str(error)) from None
        for position, (item, article) in enumerate(zip(items, result.articles, strict=True), 1):
            report.write(self.describe(position, item, result.outcome(article)))
        for warning in result.warnings[len(parsed.warnings) :]:
            report.write(self.style.WARNING(f"line {warning.line}: {warning.message}"))
        page = result.page
        report.write(
            self.style.SUCCESS(
                f"{date:%Y-%m-%d} 第{page.number}版 {page.name}: {len(items)} items — "
                f"{len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged, {len(result.kept)} kept (past draft), "
                f"{len(result.joined)} joined to their start on another page; "
                f"{len(result.people_created)} new people"
            )
        )

    def describe(self, position, item, outcome=""):
        title = item.headline or item.paragraphs[0][:24] + "…"
        if item.kind == "photo":
            credit = format_credit([b.name for b in item.bylines])
        else:
            credit = format_dateline(item.source, item.bylines)
        tag = f"[{outcome}] " if outcome else ""
        return f"{position:>3}. {tag}{title} — {credit}"
