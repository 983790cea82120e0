"""Drop working copies (autosave) older than settings.WORKING_COPY_DAYS; the workers' sweep does it hourly."""

from django.core.management.base import BaseCommand

from articles import services


class Command(BaseCommand):
    help = "Drop autosaved working copies older than WORKING_COPY_DAYS."

    def handle(self, *args, **options):
        count = services.prune_working_copies()
        self.stdout.write(f"{count} working copies pruned.")
