from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db.models import F, Q

from articles import services
from media.models import Photo

from ._args import acting_user


class Command(BaseCommand):
    help = (
        "Clean the pictures stored before uploads were cleaned (upright, no EXIF or GPS), "
        "rename those stored under the name they were uploaded with, and have the task "
        "workers make their web renditions, through the write path (pages showing them are "
        "refreshed). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--by", metavar="USERNAME", help="who cleans them: someone who may change any photo"
        )
        parser.add_argument(
            "--all", action="store_true", help="Redo every photo, e.g. after changing the widths."
        )

    def handle(self, *args, **options):
        user = acting_user(options["by"], "cleans the photos (an editor)")
        photos = Photo.objects.exclude(image="").order_by("pk")
        if not options["all"]:
            # No renditions yet, or a picture still under its camera's name.
            photos = photos.filter(
                Q(rendition_files=[]) | Q(file_key="") | ~Q(image__contains=F("file_key"))
            )
        done = refused = 0
        for photo in photos.iterator():
            try:
                services.store_photo_again(photo, user=user)
            except (OSError, ValidationError, services.Refused) as error:
                refused += 1
                self.stderr.write(f"photo {photo.pk} ({photo.image.name}): {_message(error)}")
                continue
            done += 1
        self.stdout.write(f"{done} photos cleaned, {refused} refused.")


def _message(error):
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)
