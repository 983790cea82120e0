from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db.models import F, Q

from media.models import Photo


class Command(BaseCommand):
    help = (
        "Clean the pictures stored before uploads were cleaned (upright, no EXIF or GPS), "
        "rename those stored under the name they were uploaded with, and make their web "
        "renditions. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Redo every photo, e.g. after changing the widths."
        )

    def handle(self, *args, **options):
        photos = Photo.objects.exclude(image="").order_by("pk")
        if not options["all"]:
            # No renditions yet, or a picture still under its camera's name.
            photos = photos.filter(
                Q(rendition_files=[]) | Q(file_key="") | ~Q(image__contains=F("file_key"))
            )
        done = refused = 0
        for photo in photos.iterator():
            old = photo.image.name
            try:
                with photo.image.open("rb") as file:
                    content = ContentFile(file.read())
                photo.image.save(old, content, save=False)
            except (OSError, ValidationError) as error:
                refused += 1
                self.stderr.write(f"photo {photo.pk} ({old}): {'; '.join(_messages(error))}")
                continue
            photo.save()
            if photo.image.name != old:
                # The old file still has its EXIF and its guessable name; nothing
                # points at it any more.
                photo.image.storage.delete(old)
            done += 1
        self.stdout.write(f"{done} photos cleaned, {refused} refused.")


def _messages(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]
