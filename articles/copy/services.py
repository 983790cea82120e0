"""The write path of copy: articles, their photos, the people credited, sections and tags.

Each function, in one transaction: locks the row and asks articles.permissions
whether this user may make this change to this object in its current state;
refuses a save from a stale form (articles.versions); writes the change and
the related rows; where what the copy prints changed, requires a correction
for published copy, records a revision and rebuilds the search document; and
refreshes the public pages that show it once the transaction commits.
Status, placement and publication never change here: only the workflow
moves them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions, search
from articles.cache import (
    SECTIONS,
    article_keys,
    content_changed,
    person_key,
    section_key,
    tag_key,
)
from articles.copy import revisions
from articles.desk import notifications, review, workflow
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Correction,
    Notification,
    WorkingCopy,
)
from articles.permissions import Refused, refuse_unless
from articles.selectors import credited
from articles.versions import bump, check_version
from media.models import Photo, PhotoCredit
from media.renditions import render_stored
from newsroom.background import enqueue_on_commit
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.base import File
    from taggit.models import Tag

    from articles.copy.revisions import Snapshot
    from articles.models import Revision, Section

S = Article.Status

# What a form may write on an article; the rest belongs to the workflow.
CONTENT_FIELDS = [*revisions.TEXT_FIELDS, "section"]


def printed_content_changed(articles: QuerySet[Article], *, keys: Iterable[str] = ()) -> None:
    """A caption, a name, a section or a tag printed with these articles changed.

    Re-index them, re-stamp them so that API clients syncing with
    updated_since fetch them again, and drop the public pages that show them
    (keys: also those the change takes them off, or the section bar).
    """
    articles = articles.order_by().distinct()
    if not articles.exists():
        if keys:
            content_changed(keys=keys)
        return
    _reindex(articles)
    Article.objects.filter(pk__in=articles.values("pk")).update(updated_at=timezone.now())
    content_changed(articles=articles, keys=keys)


def _reindex(articles: QuerySet[Article]) -> None:
    """Re-index articles now when they are few, else by a job once the change commits."""
    ids = list(articles.values_list("pk", flat=True)[: settings.SEARCH_REINDEX_INLINE + 1])
    if len(ids) <= settings.SEARCH_REINDEX_INLINE:
        search.index_articles(Article.objects.filter(pk__in=ids))
        return
    from articles.search.tasks import reindex_articles

    enqueue_on_commit(reindex_articles, list(articles.values_list("pk", flat=True)))


# --- copy -------------------------------------------------------------------------------


def _lock_article(pk: int) -> Article:
    # Only the article row: PostgreSQL cannot lock the nullable side of the
    # outer join to its page.
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("page__edition", "updated_by__person")
        .get(pk=pk)
    )


def _printed(content: Snapshot) -> Snapshot:
    """The part of a revision snapshot that readers see printed: text, bylines, photos."""
    return {key: content[key] for key in ("fields", "bylines", "photos")}


def _copy_changed(
    article: Article,
    *,
    user: User,
    changed: list[str],
    note: str = "",
    keys_before: Iterable[str] = (),
) -> None:
    """Record that article's content changed: version, revision, review, search, public pages.

    changed names what changed (review.changed_fields); keys_before names
    the pages published copy showed on before the change (a section or a tag
    it may have left).
    """
    bump(Article, article, updated_by=user, updated_at=timezone.now())
    revision = revisions.record(article, user=user, note=note)
    _review_follows(article, user=user, changed=changed, revision=revision)
    search.index_article(article)
    if article.status == S.PUBLISHED:
        content_changed(articles=[article], keys=keys_before)


def _review_follows(
    article: Article, *, user: User, changed: list[str], revision: Revision | None = None
) -> None:
    """What a change of copy under review does to its round (articles.desk.review).

    A new section asking for more levels raises what the round needs; a
    change of approved copy by anyone but its final approver is recorded
    against its approvals and told to the approvers, and a change of what
    the piece is sends it back to the final level.
    """
    if article.status not in (S.SUBMITTED, S.APPROVED):
        return
    now = timezone.now()
    again = "section" in changed and review.raise_for_section(article, at=now)
    change = review.record_change(article, user=user, changed=changed, revision=revision, at=now)
    if change is not None:
        notifications.notify(
            Notification.Kind.CHANGED,
            review.approvers(change.submission),
            actor=user,
            article=article,
            note=review.describe_change(change),
        )
        again = again or change.kind == change.Kind.REVIEW
    if again:
        workflow.review_again(article, user=user, note=review.why_again(change))


class Credit(NamedTuple):
    """A byline to print: who, in which role (Byline.Role)."""

    person: Person
    role: str


class Use(NamedTuple):
    """A photo printed with copy, and its caption for this use ("": the photo's own)."""

    photo: Photo
    caption: str = ""


class OnCopy(NamedTuple):
    """A photo's use on one article, as set from the photo's page: its caption and place."""

    caption: str = ""
    position: int = 0


def _write_bylines(article: Article, credits: Iterable[Credit]) -> None:
    """Give article these bylines, in this order; a person named twice in a role counts once."""
    wanted = list(dict.fromkeys((credit.person, credit.role) for credit in credits))
    current = [(b.person, b.role) for b in article.bylines.select_related("person")]
    if current == wanted:
        return
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, person=person, role=role, position=position)
        for position, (person, role) in enumerate(wanted)
    )


def _write_photos(article: Article, uses: Iterable[Use]) -> None:
    """Give article these photos, in this order, each with its caption for this use."""
    wanted = {use.photo.pk: (use, position) for position, use in enumerate(uses)}
    for current in article.article_photos.all():
        if current.photo_id not in wanted:
            current.delete()
            continue
        use, position = wanted.pop(current.photo_id)
        if (current.caption, current.position) != (use.caption, position):
            current.caption, current.position = use.caption, position
            current.save(update_fields=["caption", "position"])
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo=use.photo, caption=use.caption, position=position)
        for use, position in wanted.values()
    )


def _write_related(
    article: Article,
    *,
    bylines: Iterable[Credit] | None,
    photos: Iterable[Use] | None,
    tags: Iterable[Tag | str] | None,
) -> None:
    if bylines is not None:
        _write_bylines(article, bylines)
    if photos is not None:
        _write_photos(article, photos)
    if tags is not None:
        article.tags.set(tags)


def save_article(
    article: Article,
    *,
    user: User,
    bylines: Iterable[Credit] | None = None,
    photos: Iterable[Use] | None = None,
    tags: Iterable[Tag | str] | None = None,
    base_version: int | str | None = None,
    correction: str = "",
    note: str = "",
    filer: User | None = None,
) -> Article:
    """Save article's content as user: the one door for every change of copy.

    article carries the new values of its content fields (a form's instance,
    or an object the importer filled); bylines (Credits), photos (Uses) and
    tags (names or Tags), when given, replace the copy's own, in order; None
    leaves them as they are. Whatever the caller set on workflow fields is not
    saved: new copy starts as a draft filed by user (or by filer, the reporter
    a story was assigned to). Published copy whose printed content changes
    needs a correction note.
    """
    with transaction.atomic():
        if article.pk is None:
            refuse_unless(permissions.why_not_edit_article(user, article))
            for field in Article._meta.concrete_fields:
                if field.name not in CONTENT_FIELDS and not field.primary_key:
                    setattr(article, field.attname, field.get_default())
            article.created_by = filer or user
            article.updated_by = user
            article.save()
            _write_related(article, bylines=bylines, photos=photos, tags=tags)
            revisions.record(article, user=user, note=note)
            search.index_article(article)
            # What was typed is saved: the autosaved working copy of new copy goes.
            WorkingCopy.objects.filter(owner=user, article=None).delete()
            return article

        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_edit_article(user, current))
        check_version(current, base_version, who=_last_saver(current))
        before = revisions.snapshot(current)
        keys_before = article_keys([current.pk]) if current.status == S.PUBLISHED else ()
        # Only the content is written; the workflow's fields stay as they are.
        for field in Article._meta.concrete_fields:
            if field.name not in CONTENT_FIELDS:
                setattr(article, field.attname, getattr(current, field.attname))
        article.save(update_fields=CONTENT_FIELDS)
        _write_related(article, bylines=bylines, photos=photos, tags=tags)
        # What was typed is saved (or was the same): the autosaved working copy goes.
        WorkingCopy.objects.filter(owner=user, article=article).delete()
        after = revisions.snapshot(article)
        if after == before:
            return article
        if article.status == S.PUBLISHED and _printed(after) != _printed(before):
            correct(article, user=user, note=correction)
        _copy_changed(
            article,
            user=user,
            changed=review.changed_fields(before, after),
            note=note,
            keys_before=keys_before,
        )
        return article


def illustrate_article(
    article: Article,
    *,
    user: User,
    photos: Iterable[Use],
    base_version: int | str | None = None,
) -> Article:
    """Set the photos of article (Uses, in order) as the photo desk, its words left as they are.

    The photo desk's step: a photographer adds, replaces and re-captions the
    pictures of copy on the desk without taking it off the desk. The change
    is a revision like any other (留痕); on approved copy it follows the rule
    for changes after approval (a new picture needs the final review again,
    a caption is wording).
    """
    with transaction.atomic():
        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_illustrate(user, current))
        check_version(current, base_version, who=_last_saver(current))
        before = revisions.snapshot(current)
        _write_photos(current, photos)
        after = revisions.snapshot(current)
        if after == before:
            return current
        _copy_changed(
            current,
            user=user,
            changed=review.changed_fields(before, after),
            note=_("Photos changed by the photo desk"),
        )
        return current


def _last_saver(article: Article) -> object:
    """Who saved article last, as a stale form's refusal names them."""
    return article.updated_by and (
        getattr(article.updated_by, "person", None) or article.updated_by.get_username()
    )


def restore_revision(
    revision: Revision, *, user: User, base_version: int | str | None = None, correction: str = ""
) -> Article:
    """Bring back revision's content as a new revision; the status stays as it is."""
    article = Article.objects.get(pk=revision.article_id)
    content = revision.content
    for name, value in content["fields"].items():
        setattr(article, name, value)
    article.section_id = revisions.existing_section(content)
    # People and photos deleted since are left out rather than failing.
    people = Person.objects.in_bulk([b["person"] for b in content["bylines"]])
    pictures = Photo.objects.in_bulk([p["photo"] for p in content["photos"]])
    return save_article(
        article,
        user=user,
        bylines=[
            Credit(people[b["person"]], b["role"])
            for b in content["bylines"]
            if b["person"] in people
        ],
        photos=[
            Use(pictures[p["photo"]], p["caption"])
            for p in content["photos"]
            if p["photo"] in pictures
        ],
        tags=content["tags"],
        base_version=base_version,
        correction=correction,
        note=_("Restored revision %(number)s") % {"number": revision.number},
    )


def set_continuation(article: Article, *, user: User, **fields: object) -> None:
    """Record where a story jumps (continued_on, continued_from, continuation_offset).

    Where a story is printed is placement, not content: a form never writes
    it; the importer joins the parts of a story printed on two pages.
    """
    with transaction.atomic():
        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_edit_article(user, current))
        for name, value in fields.items():
            setattr(article, name, value)
        if any(getattr(current, name) != value for name, value in fields.items()):
            bump(Article, article, updated_by=user, **fields)


def delete_article(article: Article, *, user: User) -> None:
    with transaction.atomic():
        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_delete_article(user, current))
        current.delete()


# --- corrections ------------------------------------------------------------


def correct(article: Article, *, user: User, note: str) -> Correction:
    """Record a correction of published copy (更正) and refresh what readers see."""
    note = note.strip()
    refuse_unless(permissions.why_not_correct(user, article))
    if not note:
        raise Refused(_("Changing published copy needs a correction note."), "correction")
    correction = Correction.objects.create(article=article, text=note, created_by=user)
    content_changed(articles=[article])
    return correction


# --- photos ----------------------------------------------------------------------------------


def _photo_print(photo: Photo) -> dict[str, Any]:
    """What articles print of photo: its caption, its picture and its credit."""
    credits = list(photo.credits.order_by("position", "pk").values_list("person_id", flat=True))
    return {"caption": photo.caption, "image": photo.image.name or "", "credits": credits}


def _photo_uses(photo: Photo) -> dict[int, tuple[str, int]]:
    return {
        use.article_id: (use.caption, use.position)
        for use in ArticlePhoto.objects.filter(photo=photo)
    }


def _photo_fields(photo: Photo) -> dict[str, Any]:
    return {f.attname: getattr(photo, f.attname) for f in Photo._meta.concrete_fields}


def _write_credits(photo: Photo, people: Iterable[Person]) -> None:
    """Credit these people on photo (摄), in this order, replacing its credits."""
    people = list(dict.fromkeys(people))
    if [c.person_id for c in photo.credits.order_by("position", "pk")] == [p.pk for p in people]:
        return
    photo.credits.all().delete()
    PhotoCredit.objects.bulk_create(
        PhotoCredit(photo=photo, person=person, position=position)
        for position, person in enumerate(people)
    )


def _write_uses(photo: Photo, uses: Mapping[Article, OnCopy | None]) -> None:
    """Set photo's uses on the copy named in uses: an OnCopy to keep it there, None to take it off."""
    for article, use in uses.items():
        if use is None:
            ArticlePhoto.objects.filter(photo=photo, article=article).delete()
        else:
            ArticlePhoto.objects.update_or_create(
                photo=photo,
                article=article,
                defaults={"caption": use.caption, "position": use.position},
            )


def _write_photo_related(
    photo: Photo,
    *,
    credits: Iterable[Person] | None,
    uses: Mapping[Article, OnCopy | None] | None,
) -> None:
    if credits is not None:
        _write_credits(photo, credits)
    if uses is not None:
        _write_uses(photo, uses)


def save_photo(
    photo: Photo,
    *,
    user: User,
    credits: Iterable[Person] | None = None,
    uses: Mapping[Article, OnCopy | None] | None = None,
    base_version: int | str | None = None,
    correction: str = "",
) -> Photo:
    """Save photo as user (its picture, caption, alt text, credits, uses on copy).

    credits (People, in printed order), when given, replace the photo's; uses
    maps the articles whose use of the photo the caller changes to an OnCopy
    (kept, with its caption and position) or None (taken off). A change
    that reprints on published copy needs an editor and a correction note;
    one that reprints on a signed-off edition waits for its reopening. Uses
    changed from the photo's page obey the rules of the copy they are on.
    """
    with transaction.atomic():
        if photo.pk is None:
            refuse_unless(permissions.why_not_change_photo(user, photo))
            photo.created_by = user
            photo.save()
            _renditions_wanted(photo)
            _write_photo_related(photo, credits=credits, uses=uses)
            if uses:
                _uses_changed(photo, {}, _photo_uses(photo), user=user)
            return photo

        current = Photo.objects.select_for_update().get(pk=photo.pk)
        refuse_unless(permissions.why_not_change_photo(user, current))
        check_version(current, base_version)
        before = (_photo_fields(current), _photo_print(current), _photo_uses(current))
        photo.version = current.version
        photo.save()
        _renditions_wanted(photo)
        _write_photo_related(photo, credits=credits, uses=uses)
        printed, uses_now = _photo_print(photo), _photo_uses(photo)
        if (_photo_fields(photo), printed, uses_now) == before:
            return photo
        _uses_changed(photo, before[2], uses_now, user=user)
        if printed != before[1]:
            _reprint_photo(photo, before[1], printed, user=user, correction=correction)
        bump(Photo, photo)
        return photo


def _uses_changed(
    photo: Photo,
    before: dict[int, tuple[str, int]],
    after: dict[int, tuple[str, int]],
    *,
    user: User,
) -> None:
    """Check and record the copy whose photos changed on the photo's own page."""
    changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    for article in Article.objects.filter(pk__in=changed).select_related("page__edition"):
        refuse_unless(permissions.why_not_illustrate(user, article))
        if article.status == S.PUBLISHED:
            raise Refused(
                _(
                    "“%(article)s” is published: change its photos on the article's own page, "
                    "with a correction."
                )
                % {"article": article}
            )
        _copy_changed(
            article, user=user, changed=["photos"], note=_("Photos changed on the photo's page")
        )


def _reprint_photo(
    photo: Photo, before: dict[str, Any], after: dict[str, Any], *, user: User, correction: str
) -> None:
    """The caption, picture or credit of photo changed: check and refresh the copy printing it."""
    uses = ArticlePhoto.objects.filter(photo=photo).select_related("article__page__edition")
    if before["image"] == after["image"] and before["credits"] == after["credits"]:
        # Only the caption changed: copy with a caption of its own prints none of it.
        uses = uses.filter(caption="")
    articles = [use.article for use in uses]
    refuse_unless(permissions.why_not_reprint_photo(user, photo, articles))
    # On approved copy a new picture or credit changes what it prints; a caption is wording.
    same_picture = (before["image"], before["credits"]) == (after["image"], after["credits"])
    for article in (a for a in articles if a.status == S.APPROVED):
        _review_follows(article, user=user, changed=["captions" if same_picture else "photos"])
    for article in (a for a in articles if a.status == S.PUBLISHED):
        correct(article, user=user, note=correction)
    printed_content_changed(Article.objects.filter(pk__in=[a.pk for a in articles]))


def upload_photo(
    image: File[bytes],
    *,
    user: User,
    caption: str = "",
    alt_text: str = "",
    credit: Person | None = None,
) -> Photo:
    """Make a photo of an uploaded picture as user, credited to credit (a Person), if given."""
    photo = Photo(image=image, caption=caption.strip(), alt_text=alt_text.strip())
    return save_photo(photo, user=user, credits=[credit] if credit else [])


def store_photo_again(photo: Photo, *, user: User) -> Photo:
    """Store photo's picture again as uploads are stored now: cleaned, renamed, with renditions.

    The picture stays the same to readers (no correction), but its files
    change: the pages showing it are refreshed, and the old file is deleted
    once the change is committed.
    """
    with transaction.atomic():
        current = Photo.objects.select_for_update().get(pk=photo.pk)
        refuse_unless(permissions.why_not_change_photo(user, current))
        old = current.image.name
        with current.image.open("rb") as file:
            current.image = ContentFile(file.read(), name=posixpath.basename(old))
        # Made again, at today's widths (files already made are kept, by name).
        current.rendition_files = []
        current.save()  # Photo.save stores (and cleans) the picture it was given
        _renditions_wanted(current)
        bump(Photo, current)
        printed_content_changed(Article.objects.filter(article_photos__photo=current))
        if current.image.name != old:
            # Nothing points at the old file (its EXIF, its guessable name) any more.
            storage = current.image.storage
            transaction.on_commit(lambda: storage.delete(old))
        return current


def _renditions_wanted(photo: Photo) -> None:
    """Have a job make photo's web renditions once this change commits, if it lacks them.

    Until then readers get the stored picture itself (the picture tag's
    fallback), and the admin's lists a note instead of a thumbnail.
    """
    if photo.renditions_pending:
        from articles.copy.tasks import make_photo_renditions

        enqueue_on_commit(make_photo_renditions, photo.pk, photo.file_key)


def make_photo_renditions(photo_id: int, key: str) -> bool:
    """Make and record the web renditions of photo_id's picture, if it is still the one keyed key.

    The renditions job's part of the write path; return whether it recorded
    them. Idempotent: a photo whose picture changed meanwhile (its own job
    makes those), was deleted or has its renditions already is left alone,
    and the files are named by the picture's hash, so making them twice
    writes the same files. The pages printing the photo are refreshed, and
    the API's clients syncing with updated_since fetch its new renditions.
    """
    photo = Photo.objects.filter(pk=photo_id, file_key=key).first()
    if photo is None or not photo.renditions_pending:
        return False
    # Seconds for a big picture: outside the transaction, which holds no lock meanwhile.
    records = render_stored(photo.image.name, key, photo.image.storage)
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo_id, file_key=key).first()
        if current is None or not current.renditions_pending:
            return False
        bump(Photo, current, rendition_files=records)
        printed_content_changed(Article.objects.filter(article_photos__photo=current))
    return True


def photos_missing_renditions() -> list[tuple[int, str]]:
    """(id, key) of the photos whose renditions job seems lost: waiting over 2 minutes.

    Only those stored in the last hour: a picture whose renditions keep
    failing (its file damaged in storage) is not tried for ever; the admin
    shows it without web sizes, and clean_photos makes them again.
    """
    now = timezone.now()
    waiting = (
        Photo.objects.filter(
            rendition_files=[],
            updated_at__lt=now - timedelta(minutes=2),
            updated_at__gte=now - timedelta(hours=1),
        )
        .exclude(image="")
        .exclude(file_key="")
    )
    return list(waiting.values_list("pk", "file_key"))


def delete_photo(photo: Photo, *, user: User) -> None:
    with transaction.atomic():
        current = Photo.objects.select_for_update().get(pk=photo.pk)
        refuse_unless(permissions.why_not_delete_photo(user, current))
        current.delete()


# --- people ------------------------------------------------------------------------------------


def save_person(person: Person, *, user: User, base_version: int | str | None = None) -> Person:
    """Save a person's record as user; a new name reprints their credits everywhere."""
    with transaction.atomic():
        if person.pk is None:
            refuse_unless(permissions.why_not_change_person(user, person))
            current = None
        else:
            current = Person.objects.select_for_update().get(pk=person.pk)
            refuse_unless(permissions.why_not_change_person(user, current))
            check_version(current, base_version)
            person.version = current.version
        linked = current.user_id if current else None
        if person.user_id != linked and not permissions.can_link_account(user):
            raise Refused(_("Only those who manage user accounts link people to them."), "user")
        person.save()
        if current is not None:
            bump(Person, person)
            if person.name != current.name:
                printed_content_changed(
                    Article.objects.filter(credited(person)), keys=[person_key(person.pk)]
                )
        return person


def delete_person(person: Person, *, user: User) -> None:
    with transaction.atomic():
        refuse_unless(permissions.why_not_delete_person(user, person))
        Person.objects.select_for_update().get(pk=person.pk).delete()


# --- sections and tags -------------------------------------------------------------------------


def save_section(
    section: Section,
    *,
    user: User,
    desk_heads: Iterable[Person] | None = None,
    editors: Iterable[Person] | None = None,
) -> Section:
    """Save a section as user; a new name or slug reprints its published copy.

    desk_heads (People), when given, are who head the section's desk (部门主任):
    the chief editor's call (articles.ledger: statistics and fees). editors
    (People), when given, are who give its copy 初审 and are told when copy
    is filed to it: the same call.
    """
    with transaction.atomic():
        refuse_unless(permissions.why_not_change_section(user, section))
        before = (
            type(section)
            .objects.filter(pk=section.pk)
            .values("name", "slug", "position", "review_levels")
            .first()
        )
        if before and before["review_levels"] != section.review_levels:
            refuse_unless(permissions.why_not_set_review_levels(user), "review_levels")
        section.save()
        if desk_heads is not None and {p.pk for p in desk_heads} != set(
            section.desk_heads.values_list("pk", flat=True)
        ):
            refuse_unless(permissions.why_not_assign_desk_heads(user), "desk_heads")
            section.desk_heads.set(desk_heads)
        if editors is not None and {p.pk for p in editors} != set(
            section.editors.values_list("pk", flat=True)
        ):
            # Who works a section's desk is the chief's call, as who heads it.
            refuse_unless(permissions.why_not_assign_desk_heads(user), "editors")
            section.editors.set(editors)
        if before and (before["name"], before["slug"]) != (section.name, section.slug):
            printed_content_changed(
                section.articles.all(), keys=[SECTIONS, section_key(section.pk)]
            )
        elif before and before["position"] != section.position:
            content_changed(keys=[SECTIONS])  # the order of the section bar
        return section


def delete_section(section: Section, *, user: User) -> None:
    with transaction.atomic():
        refuse_unless(permissions.why_not_delete_section(user, section))
        articles = list(section.articles.values_list("pk", flat=True))
        keys = [SECTIONS, section_key(section.pk)]
        section.delete()
        printed_content_changed(Article.objects.filter(pk__in=articles), keys=keys)


def save_tag(tag: Tag, *, user: User) -> Tag:
    """Save a tag as user; a new name or slug reprints the copy tagged with it."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_change_tag(user, tag))
        before = type(tag).objects.filter(pk=tag.pk).values("name", "slug").first()
        tag.save()
        if before and before != {"name": tag.name, "slug": tag.slug}:
            printed_content_changed(Article.objects.filter(tags=tag), keys=[tag_key(tag.pk)])
        return tag


def delete_tag(tag: Tag, *, user: User) -> None:
    with transaction.atomic():
        refuse_unless(permissions.why_not_delete_tag(user, tag))
        articles = list(Article.objects.filter(tags=tag).values_list("pk", flat=True))
        keys = [tag_key(tag.pk)]
        tag.delete()
        printed_content_changed(Article.objects.filter(pk__in=articles), keys=keys)
