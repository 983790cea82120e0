"""The write path: every change of copy, photos, people, sections, tags, pages and editions.

Admin classes, inlines, bulk pages, commands, the demo and the importer call
these functions and hold no rule of their own. Each one, in one transaction:

1. locks the row and asks articles.permissions whether this user may make
   this change to this object in its current state, raising Refused;
2. refuses a save from a stale form: base_version is the version the form was
   opened at, and every change raises the version;
3. writes the change, and then the caller's related rows (write=);
4. where what the copy prints changed: requires a correction for published
   copy, records a revision, rebuilds the search document;
5. invalidates the public pages that show it, once the transaction commits.

Status, placement and publication fields are never written here: they move
only through articles.workflow, which logs every step. A refusal raises
permissions.Refused (Stale for a stale form) and the transaction rolls back:
nothing is changed.
"""

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from media.models import Photo
from people.models import Person

from . import notifications, permissions, revisions, search, workflow
from .cache import (
    SECTIONS,
    article_keys,
    content_changed,
    person_key,
    public_content_changed,
    section_key,
    tag_key,
)
from .models import (
    Article,
    ArticlePhoto,
    Assignment,
    Byline,
    Comment,
    Edition,
    Notification,
    NotificationSettings,
    Page,
)
from .permissions import Refused, refuse_unless
from .selectors import credited

S = Article.Status

# What a form may write on an article; the rest belongs to the workflow.
CONTENT_FIELDS = [*revisions.TEXT_FIELDS, "section"]
# Edition fields the workflow owns; a form never writes them.
EDITION_WORKFLOW_FIELDS = [
    "status",
    "signed_off_by",
    "signed_off_at",
    "scheduled_at",
    "scheduled_by",
    "published_at",
    "published_by",
]


class Stale(Refused):
    """A save from a form opened before someone else's change."""


def _check_version(current, base_version, who=None, at=None):
    """Refuse unless the form was opened at current's version (None: not from a form)."""
    if base_version is None or int(base_version) == current.version:
        return
    when = formats.date_format(timezone.localtime(at or current.updated_at), "H:i:s")
    raise Stale(
        _(
            "%(user)s saved this at %(time)s, after you opened it. Nothing was overwritten: "
            "your text is still in the form below. Copy what you need, then reload the page "
            "to see their version."
        )
        % {"user": who or _("Someone"), "time": when}
    )


def _bump(model, obj, **fields):
    """Raise obj's version in the database (and on obj), with fields set alongside."""
    model.objects.filter(pk=obj.pk).update(version=F("version") + 1, **fields)
    obj.refresh_from_db(fields=["version", *fields])


def printed_content_changed(articles, *, keys=()):
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
    search.index_articles(articles)
    Article.objects.filter(pk__in=articles.values("pk")).update(updated_at=timezone.now())
    content_changed(articles=articles, keys=keys)


# --- copy -------------------------------------------------------------------------------


def _lock_article(pk):
    # Only the article row: PostgreSQL cannot lock the nullable side of the
    # outer join to its page.
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("page__edition", "updated_by__person")
        .get(pk=pk)
    )


def _printed(content):
    """The part of a revision snapshot that readers see printed: text, bylines, photos."""
    return {key: content[key] for key in ("fields", "bylines", "photos")}


def _copy_changed(article, *, user, note="", keys_before=()):
    """Record that article's content changed: version, revision, search, public pages.

    keys_before names the pages published copy showed on before the change
    (a section or a tag it may have left).
    """
    _bump(Article, article, updated_by=user, updated_at=timezone.now())
    revisions.record(article, user=user, note=note)
    search.index_article(article)
    if article.status == S.PUBLISHED:
        content_changed(articles=[article], keys=keys_before)


def save_article(
    article, *, user, base_version=None, correction="", write=None, note="", filer=None
):
    """Save article's content as user: the one door for every change of copy.

    article carries the new values of its content fields (a form's instance,
    or an object the importer filled); write(article), if given, then writes
    its related rows (bylines, photos, tags). Whatever the caller set on
    workflow fields is not saved: new copy starts as a draft filed by user
    (or by filer, the reporter a story was assigned to). Published copy whose
    printed content changes needs a correction note.
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
            if write:
                write(article)
            revisions.record(article, user=user, note=note)
            search.index_article(article)
            return article

        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_edit_article(user, current))
        who = current.updated_by and (
            getattr(current.updated_by, "person", None) or current.updated_by.get_username()
        )
        _check_version(current, base_version, who=who)
        before = revisions.snapshot(current)
        keys_before = article_keys([current.pk]) if current.status == S.PUBLISHED else ()
        # Only the content is written; the workflow's fields stay as they are.
        for field in Article._meta.concrete_fields:
            if field.name not in CONTENT_FIELDS:
                setattr(article, field.attname, getattr(current, field.attname))
        article.save(update_fields=CONTENT_FIELDS)
        if write:
            write(article)
        after = revisions.snapshot(article)
        if after == before:
            return article
        if article.status == S.PUBLISHED and _printed(after) != _printed(before):
            workflow.correct(article, user=user, note=correction)
        _copy_changed(article, user=user, note=note, keys_before=keys_before)
        return article


def restore_revision(revision, *, user, base_version=None, correction=""):
    """Bring back revision's content as a new revision; the status stays as it is."""
    article = Article.objects.get(pk=revision.article_id)

    def write(article):
        revisions.apply(article, revision.content)

    for name, value in revision.content["fields"].items():
        setattr(article, name, value)
    article.section_id = revisions.existing_section(revision.content)
    return save_article(
        article,
        user=user,
        base_version=base_version,
        correction=correction,
        write=write,
        note=_("Restored revision %(number)s") % {"number": revision.number},
    )


# --- comments (批注) -------------------------------------------------------------------

COMMENT_MAX = 2000


def add_comment(article, *, user, text, parent=None):
    """Comment on article as user (or reply to parent), on the revision it is at now.

    A reply joins the thread of the comment it answers. The filers and the
    others in the thread are told.
    """
    text = text.strip()
    with transaction.atomic():
        article = Article.objects.select_related("section").get(pk=article.pk)
        refuse_unless(permissions.why_not_comment(user, article))
        if not text:
            raise Refused(_("Write the comment first."), "comment")
        if len(text) > COMMENT_MAX:
            raise Refused(
                _("A comment is at most %(max)s characters long.") % {"max": COMMENT_MAX},
                "comment",
            )
        if parent is not None:
            if parent.article_id != article.pk:
                raise Refused(_("That comment is on other copy."))
            parent = parent.parent or parent
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            revision=article.revisions.order_by("-number").first(),
            text=text,
            created_by=user,
        )
        thread = []
        if parent is not None:
            thread = [
                parent.created_by,
                *(r.created_by for r in parent.replies.select_related("created_by")),
            ]
        notifications.notify(
            Notification.Kind.COMMENTED,
            [*notifications.filers(article), *thread],
            actor=user,
            article=article,
            comment=comment,
            note=text,
        )
        return comment


def delete_article(article, *, user):
    with transaction.atomic():
        current = _lock_article(article.pk)
        refuse_unless(permissions.why_not_delete_article(user, current))
        current.delete()


# --- photos ----------------------------------------------------------------------------------


def _photo_print(photo):
    """What articles print of photo: its caption, its picture and its credit."""
    credits = list(photo.credits.order_by("position", "pk").values_list("person_id", flat=True))
    return {"caption": photo.caption, "image": photo.image.name or "", "credits": credits}


def _photo_uses(photo):
    return {
        use.article_id: (use.caption, use.position)
        for use in ArticlePhoto.objects.filter(photo=photo)
    }


def _photo_fields(photo):
    return {f.attname: getattr(photo, f.attname) for f in Photo._meta.concrete_fields}


def save_photo(photo, *, user, base_version=None, correction="", write=None):
    """Save photo as user (its picture, caption, alt text, credits, uses on copy).

    write(photo), if given, writes the related rows (credits, uses). A change
    that reprints on published copy needs an editor and a correction note;
    one that reprints on a signed-off edition waits for its reopening. Uses
    changed from the photo's page obey the rules of the copy they are on.
    """
    with transaction.atomic():
        if photo.pk is None:
            refuse_unless(permissions.why_not_change_photo(user, photo))
            photo.created_by = user
            photo.save()
            if write:
                write(photo)
            return photo

        current = Photo.objects.select_for_update().get(pk=photo.pk)
        refuse_unless(permissions.why_not_change_photo(user, current))
        _check_version(current, base_version)
        before = (_photo_fields(current), _photo_print(current), _photo_uses(current))
        photo.version = current.version
        photo.save()
        if write:
            write(photo)
        printed, uses = _photo_print(photo), _photo_uses(photo)
        if (_photo_fields(photo), printed, uses) == before:
            return photo
        _uses_changed(photo, before[2], uses, user=user)
        if printed != before[1]:
            _reprint_photo(photo, before[1], printed, user=user, correction=correction)
        _bump(Photo, photo)
        return photo


def _uses_changed(photo, before, after, *, user):
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
        _copy_changed(article, user=user, note=_("Photos changed on the photo's page"))


def _reprint_photo(photo, before, after, *, user, correction):
    """The caption, picture or credit of photo changed: check and refresh the copy printing it."""
    uses = ArticlePhoto.objects.filter(photo=photo).select_related("article__page__edition")
    if before["image"] == after["image"] and before["credits"] == after["credits"]:
        # Only the caption changed: copy with a caption of its own prints none of it.
        uses = uses.filter(caption="")
    articles = [use.article for use in uses]
    for article in articles:
        if edition := permissions.locked_edition(article):
            raise Refused(
                _("This photo is on “%(article)s”. ") % {"article": article}
                + permissions.locked_message(edition)
            )
    published = [a for a in articles if a.status == S.PUBLISHED]
    if published and not user.has_perm(permissions.PERM_PUBLISH):
        raise Refused(
            _(
                "This photo is on published copy (“%(article)s”): only an editor changes it, "
                "with a correction note."
            )
            % {"article": published[0]}
        )
    for article in published:
        workflow.correct(article, user=user, note=correction)
    printed_content_changed(Article.objects.filter(pk__in=[a.pk for a in articles]))


def upload_photo(image, *, user, caption="", alt_text="", credit=None):
    """Make a photo of an uploaded picture as user, credited to credit (a Person), if given."""
    photo = Photo(image=image, caption=caption.strip(), alt_text=alt_text.strip())
    return save_photo(
        photo,
        user=user,
        write=lambda photo: photo.set_photographers([credit] if credit else []),
    )


def delete_photo(photo, *, user):
    with transaction.atomic():
        current = Photo.objects.select_for_update().get(pk=photo.pk)
        refuse_unless(permissions.why_not_delete_photo(user, current))
        current.delete()


# --- people ------------------------------------------------------------------------------------


def save_person(person, *, user, base_version=None, write=None):
    """Save a person's record as user; a new name reprints their credits everywhere."""
    with transaction.atomic():
        if person.pk is None:
            refuse_unless(permissions.why_not_change_person(user, person))
            current = None
        else:
            current = Person.objects.select_for_update().get(pk=person.pk)
            refuse_unless(permissions.why_not_change_person(user, current))
            _check_version(current, base_version)
            person.version = current.version
        linked = current.user_id if current else None
        if person.user_id != linked and not permissions.can_link_account(user):
            raise Refused(_("Only those who manage user accounts link people to them."), "user")
        person.save()
        if write:
            write(person)
        if current is not None:
            _bump(Person, person)
            if person.name != current.name:
                printed_content_changed(
                    Article.objects.filter(credited(person)), keys=[person_key(person.pk)]
                )
        return person


def delete_person(person, *, user):
    with transaction.atomic():
        if not user.has_perm("people.delete_person"):
            raise Refused(_("You may not delete people's records."))
        Person.objects.select_for_update().get(pk=person.pk).delete()


# --- editions and pages ----------------------------------------------------------------------


def save_edition(edition, *, user, base_version=None, write=None):
    """Save an edition's date and number as user, while it is being planned."""
    with transaction.atomic():
        if edition.pk is None:
            refuse_unless(permissions.why_not_change_edition(user, edition))
            for name in EDITION_WORKFLOW_FIELDS:
                field = Edition._meta.get_field(name)
                setattr(edition, field.attname, field.get_default())
            edition.save()
        else:
            current = Edition.objects.select_for_update().get(pk=edition.pk)
            refuse_unless(permissions.why_not_change_edition(user, current))
            _check_version(current, base_version)
            for name in EDITION_WORKFLOW_FIELDS:
                attname = Edition._meta.get_field(name).attname
                setattr(edition, attname, getattr(current, attname))
            edition.version = current.version
            edition.save()
            _bump(Edition, edition)
        if write:
            write(edition)
        return edition


def delete_edition(edition, *, user):
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        refuse_unless(permissions.why_not_delete_edition(user, current))
        current.delete()


def save_page(page, *, user, base_version=None):
    """Save a page (number, name, page editor) of an edition being planned."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=page.edition_id)
        if page.pk is None:
            refuse_unless(permissions.why_not_change_page(user, page, edition))
            page.save()
            return page
        current = Page.objects.select_for_update().get(pk=page.pk)
        refuse_unless(permissions.why_not_change_page(user, current, edition))
        _check_version(current, base_version)
        page.version = current.version
        page.save()
        _bump(Page, page)
        return page


def delete_page(page, *, user):
    with transaction.atomic():
        current = Page.objects.select_for_update().get(pk=page.pk)
        refuse_unless(permissions.why_not_delete_page(user, current))
        current.delete()


# --- sections and tags -------------------------------------------------------------------------


def save_section(section, *, user):
    """Save a section as user; a new name or slug reprints its published copy."""
    with transaction.atomic():
        permission = "add_section" if section.pk is None else "change_section"
        if not user.has_perm(f"articles.{permission}"):
            raise Refused(_("You may not change sections."))
        before = (
            type(section).objects.filter(pk=section.pk).values("name", "slug", "position").first()
        )
        section.save()
        if before and (before["name"], before["slug"]) != (section.name, section.slug):
            printed_content_changed(
                section.articles.all(), keys=[SECTIONS, section_key(section.pk)]
            )
        elif before and before["position"] != section.position:
            content_changed(keys=[SECTIONS])  # the order of the section bar
        return section


def delete_section(section, *, user):
    with transaction.atomic():
        if not user.has_perm("articles.delete_section"):
            raise Refused(_("You may not delete sections."))
        articles = list(section.articles.values_list("pk", flat=True))
        keys = [SECTIONS, section_key(section.pk)]
        section.delete()
        printed_content_changed(Article.objects.filter(pk__in=articles), keys=keys)


def save_tag(tag, *, user):
    """Save a tag as user; a new name or slug reprints the copy tagged with it."""
    with transaction.atomic():
        permission = "add_tag" if tag.pk is None else "change_tag"
        if not user.has_perm(f"taggit.{permission}"):
            raise Refused(_("You may not change tags."))
        before = type(tag).objects.filter(pk=tag.pk).values("name", "slug").first()
        tag.save()
        if before and before != {"name": tag.name, "slug": tag.slug}:
            printed_content_changed(Article.objects.filter(tags=tag), keys=[tag_key(tag.pk)])
        return tag


def delete_tag(tag, *, user):
    with transaction.atomic():
        if not user.has_perm("taggit.delete_tag"):
            raise Refused(_("You may not delete tags."))
        articles = list(Article.objects.filter(tags=tag).values_list("pk", flat=True))
        keys = [tag_key(tag.pk)]
        tag.delete()
        printed_content_changed(Article.objects.filter(pk__in=articles), keys=keys)


# --- the site's own settings ------------------------------------------------------------


def save_site_settings(row, *, user, write=None):
    """Save what the public footer says about the paper, then refresh every public page."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_change_site_settings(user))
        row.save()
        if write:
            write(row)
        public_content_changed()  # the footer is on every page
    return row


# --- assignments (选题, 派稿) ------------------------------------------------------------

# What the desk's decision and the copy's progress set; a form never writes them.
ASSIGNMENT_WORKFLOW_FIELDS = [
    "status",
    "article",
    "proposed_by",
    "decided_by",
    "decided_at",
    "decision_note",
    "filed_at",
]


def _check_planned_page(assignment):
    if assignment.page_id is None:
        return
    page = Page.objects.select_related("edition").get(pk=assignment.page_id)
    if assignment.edition_id is None:
        assignment.edition = page.edition
    elif assignment.edition_id != page.edition_id:
        raise Refused(_("%(page)s is not a page of the planned edition.") % {"page": page}, "page")


def save_assignment(assignment, *, user, base_version=None, write=None):
    """Save an assignment's plan as user: a new one is a proposal (报题) by user.

    write(assignment), if given, then writes the reporters.
    """
    with transaction.atomic():
        current = None
        if assignment.pk is None:
            refuse_unless(permissions.why_not_change_assignment(user, assignment))
            for name in ASSIGNMENT_WORKFLOW_FIELDS:
                field = Assignment._meta.get_field(name)
                setattr(assignment, field.attname, field.get_default())
            assignment.proposed_by = user
        else:
            current = Assignment.objects.select_for_update().get(pk=assignment.pk)
            refuse_unless(permissions.why_not_change_assignment(user, current))
            _check_version(current, base_version)
            for name in ASSIGNMENT_WORKFLOW_FIELDS:
                attname = Assignment._meta.get_field(name).attname
                setattr(assignment, attname, getattr(current, attname))
            assignment.version = current.version
        _check_planned_page(assignment)
        assignment.save()
        if write:
            write(assignment)
        if current is not None:
            _bump(Assignment, assignment)
        return assignment


def _lock_assignment(assignment):
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


def accept_assignment(assignment, *, user, note=""):
    """Assign a proposed story (派稿): create its draft, bylined to its reporters, and tell them.

    The draft is filed by the first reporter with an account, so that it is
    theirs to write; its working headline is the topic.
    """
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_decide_assignment(user, current))
        reporters = list(current.reporters.select_related("user").order_by("name", "pk"))
        if not reporters:
            raise Refused(_("Name the reporter who writes the story first."), "reporters")
        photographer = current.photographer

        def bylines(article):
            credits = [(person, Byline.Role.REPORTER) for person in reporters]
            if photographer is not None and photographer not in reporters:
                credits.append((photographer, Byline.Role.PHOTOGRAPHER))
            Byline.objects.bulk_create(
                Byline(article=article, person=person, role=role, position=n)
                for n, (person, role) in enumerate(credits)
            )

        draft = Article(
            kind=Article.Kind.NEWS,
            headline=current.topic,
            source="本报讯",
            section=current.section,
        )
        save_article(
            draft,
            user=user,
            write=bylines,
            filer=next((p.user for p in reporters if p.user_id), None),
            note=_("Assigned: %(topic)s") % {"topic": current.topic},
        )
        current.status = Assignment.Status.ACCEPTED
        current.article = draft
        current.decided_by, current.decided_at = user, timezone.now()
        current.decision_note = note.strip()
        current.save()
        _bump(Assignment, current)
        assigned = [p.user for p in reporters if p.user_id]
        if photographer is not None and photographer.user_id:
            assigned.append(photographer.user)
        notifications.notify(
            Notification.Kind.ASSIGNED,
            assigned,
            actor=user,
            article=draft,
            assignment=current,
            note=current.decision_note,
        )
        if current.proposed_by_id and current.proposed_by_id not in {u.pk for u in assigned}:
            notifications.notify(
                Notification.Kind.PROPOSAL_ACCEPTED,
                [current.proposed_by],
                actor=user,
                article=draft,
                assignment=current,
            )
        return current


def decline_assignment(assignment, *, user, note):
    """Decline a proposed story, saying why; whoever proposed it is told."""
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_decide_assignment(user, current))
        if not note.strip():
            raise Refused(_("Say why the story is not taken."), "decision_note")
        current.status = Assignment.Status.DECLINED
        current.decided_by, current.decided_at = user, timezone.now()
        current.decision_note = note.strip()
        current.save()
        _bump(Assignment, current)
        notifications.notify(
            Notification.Kind.PROPOSAL_DECLINED,
            [current.proposed_by],
            actor=user,
            assignment=current,
            note=current.decision_note,
        )
        return current


def delete_assignment(assignment, *, user):
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_delete_assignment(user, current))
        current.delete()


# --- notifications ---------------------------------------------------------------------


def mark_read(user, items=None):
    """Mark user's notifications (items, or all unread ones) as read."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if items is not None:
        unread = unread.filter(pk__in=[n.pk for n in items])
    return unread.update(read_at=timezone.now())


def save_notification_settings(user, *, email):
    """Turn e-mail notifications on or off for user (only their own)."""
    if not user.is_authenticated:
        raise Refused(_("Log in to change how you are notified."))
    row, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email": bool(email)}
    )
    return row
