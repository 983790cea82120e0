from django.core.management.base import BaseCommand

from articles.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Publish now every signed-off edition whose scheduled time has come. A manual tool: "
        "the task workers publish each edition at its time without cron. Safe beside them."
    )

    def handle(self, *args, **options):
        published, failed = publish_due()
        for edition in published:
            self.stdout.write(self.style.SUCCESS(f"published {edition}"))
        for edition, reason in failed:
            self.stderr.write(self.style.ERROR(f"not published {edition}: {reason}"))
        if not published and not failed and options["verbosity"] > 1:
            self.stdout.write("nothing due")
        if failed:
            # A non-zero exit tells whoever ran it (or a script) that something is left.
            raise SystemExit(1)
