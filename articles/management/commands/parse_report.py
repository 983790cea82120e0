import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer.parse import PageFormatError, parse_page
from articles.importer.report import corpus_pages, score_page, speed_pages


def _short(value, width=60):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


class Command(BaseCommand):
    help = (
        "Parse every page of a folder (*.txt beside *.expected.json) and report the share "
        "of items read right, per page and in total. Writes nothing."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="a folder of pages and their expected parses")
        parser.add_argument(
            "--fail-under",
            type=float,
            default=None,
            metavar="PERCENT",
            help="exit with an error when the total share is below PERCENT",
        )
        parser.add_argument(
            "--details", action="store_true", help="show the fields of every wrong item"
        )
        parser.add_argument(
            "--speed",
            type=int,
            nargs="?",
            const=1024,
            default=None,
            metavar="KB",
            help="instead of a folder, parse generated pages of KB kilobytes (1024 unless "
            "given) of each shape and print the seconds per MB (a benchmark, not a test)",
        )

    def handle(self, *args, **options):
        if options["speed"] is not None:
            return self._speed(options["speed"])
        if not options["folder"]:
            raise CommandError("name a folder of pages, or ask for --speed")
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        pages = corpus_pages(folder)
        if not pages:
            raise CommandError(f"{folder} holds no *.txt page with a *.expected.json beside it")
        right = total = warnings = 0
        for path in pages:
            score = score_page(path)
            right, total, warnings = (
                right + score.right,
                total + score.total,
                warnings + score.warnings,
            )
            share = 100 * score.right / score.total if score.total else 100.0
            line = (
                f"{score.name:<40} {score.right:>3}/{score.total:<3} items right "
                f"({share:5.1f}%), {score.warnings} warnings"
            )
            self.stdout.write(line if score.right == score.total else self.style.WARNING(line))
            if score.error:
                self.stdout.write(f"    refused: {score.error}")
            if options["details"]:
                self._details(score)
        share = 100 * right / total if total else 100.0
        self.stdout.write(
            self.style.SUCCESS(
                f"total: {right}/{total} items right ({share:.1f}%) on {len(pages)} pages; "
                f"{warnings} warnings"
            )
        )
        if options["fail_under"] is not None and share < options["fail_under"]:
            raise CommandError(f"{share:.1f}% of items right is under {options['fail_under']}%")

    def _details(self, score):
        for mismatch in score.mismatches:
            expected, parsed = mismatch.expected, mismatch.parsed
            if parsed is None:
                self.stdout.write(
                    f"    missed: {_short(expected['headline'] or expected['paragraphs'][0])}"
                )
            elif expected is None:
                self.stdout.write(
                    f"    extra:  {_short(parsed['headline'] or parsed['paragraphs'][0])}"
                )
            else:
                self.stdout.write(
                    f"    wrong:  {_short(expected['headline'] or expected['paragraphs'][0])}"
                )
                for name in mismatch.fields:
                    self.stdout.write(f"      {name}: expected {_short(expected[name], 200)}")
                    self.stdout.write(
                        f"      {' ' * len(name)}  parsed   {_short(parsed[name], 200)}"
                    )

    def _speed(self, kilobytes):
        """Print how long the parser takes per MB on generated pages of each shape."""
        total_bytes = total_seconds = 0.0
        for name, text in speed_pages(kilobytes * 1024):
            size = len(text.encode("utf-8"))
            started = time.perf_counter()
            try:
                outcome = f"{len(parse_page(text, max_bytes=size).items)} items"
            except PageFormatError as error:
                outcome = f"refused: {error}"
            seconds = time.perf_counter() - started
            total_bytes, total_seconds = total_bytes + size, total_seconds + seconds
            megabytes = size / 1_000_000
            self.stdout.write(
                f"{name:<16} {megabytes:6.2f} MB in {seconds:6.2f} s = "
                f"{seconds / megabytes:5.2f} s/MB ({outcome})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"total: {total_bytes / 1_000_000:.2f} MB in {total_seconds:.2f} s = "
                f"{total_seconds / (total_bytes / 1_000_000):.2f} s/MB"
            )
        )
