from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import ACCOUNTS, DEMO_DATE, SUPERUSER, load_demo


class Command(BaseCommand):
    help = "Load the demo edition of 滨江日报 and one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even with DEBUG off (the demo passwords are public)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: the demo accounts have published passwords. "
                "Use --force if this really is a demo site."
            )
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo edition of {DEMO_DATE} loaded."))
        else:
            self.stdout.write(f"Demo edition of {DEMO_DATE} already loaded; nothing to add.")
        self.stdout.write("\nDemo accounts (log in at /admin/):")
        self.stdout.write(f"  {'username':<15}{'password':<21}role")
        self.stdout.write(f"  {SUPERUSER[0]:<15}{SUPERUSER[1]:<21}superuser")
        for username, password, role, name, *_ in ACCOUNTS:
            self.stdout.write(f"  {username:<15}{password:<21}{role.label} ({name})")
