from django.core.management.base import BaseCommand, CommandError

from articles.importer.export import page_items, render_page
from articles.management.commands._args import iso_date, page_number
from articles.models import Page


class Command(BaseCommand):
    help = "Print an edition page in the plain-text page layout."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="edition date, YYYY-MM-DD")
        parser.add_argument("--page", required=True, help="page number, 1 for 第1版")

    def handle(self, *args, **options):
        date = iso_date(options["date"])
        number = page_number(options["page"])
        page = Page.objects.filter(edition__date=date, number=number).first()
        if page is None:
            raise CommandError(f"there is no page {number} in the edition of {date:%Y-%m-%d}")
        self.stdout.write(render_page(page_items(page)), ending="")
