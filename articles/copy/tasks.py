"""Copy's background jobs: a photo's web renditions (services.make_photo_renditions)."""

from articles.copy import services
from newsroom.background import task


@task()
def make_photo_renditions(photo_id: int, key: str) -> bool:
    """Make photo_id's web renditions, if its picture is still the one keyed key."""
    return services.make_photo_renditions(photo_id, key)


def resume_missing_renditions() -> int:
    """Enqueue again the renditions whose job was lost; return how many (a sweep, TASKS_SWEEPS)."""
    missing = services.photos_missing_renditions()
    for photo_id, key in missing:
        make_photo_renditions.enqueue(photo_id, key)
    return len(missing)
