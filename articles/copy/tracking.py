"""留痕: every change made to copy after it was filed, who made it, when, at which level, what.

Read from the revisions (articles.copy.revisions) and the review record
(articles.desk models): nothing is stored here. The body is compared by
paragraph, then character by character inside a changed paragraph (Chinese
has no spaces to split words on); the other parts field by field. Each
change is said in words the newsroom uses ("苏文修改了正文第3段"), with
people by their names, and each person who changed the copy gets a colour
of their own on the page.
"""

import difflib
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.copy.bodytext import split_paragraphs
from articles.copy.revisions import TEXT_FIELDS
from articles.desk.levels import ReviewLevel
from articles.models import Approval, Article, Byline, Section, Submission, TransitionLog
from media.models import Photo
from people.models import name_of

CONTEXT = 24  # characters of unchanged text kept around a change


def char_diff(old, new):
    """Mark what changed between two texts, character by character (Chinese has no spaces)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                same = f"{same[:CONTEXT]} … {same[-CONTEXT:]}"
            parts.append(format_html("{}", same))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(parts))


# How many colours the page has for the people who changed a piece (admin.css, .nr-ed-N).
COLOURS = 6


@dataclass
class Mark:
    """One part of the copy changed: where (正文第3段, 主标题), how, and the text marked up."""

    where: str
    verb: str  # "changed", "added" or "removed"
    diff: str

    def sentence(self, who):
        """Say the change in words: 苏文修改了正文第3段."""
        verbs = {
            "changed": _("%(who)s changed %(where)s"),
            "added": _("%(who)s added %(where)s"),
            "removed": _("%(who)s removed %(where)s"),
        }
        return verbs[self.verb] % {"who": who, "where": self.where}


@dataclass
class Change:
    """One saved change of filed copy: a revision and what it changed since the one before."""

    revision: object
    who: str
    colour: int
    level: str
    marks: list = field(default_factory=list)

    @property
    def lines(self):
        """Each mark as (its sentence, its marked-up text), for the page."""
        return [(mark.sentence(self.who), mark.diff) for mark in self.marks]


def _field_label(name):
    return str(Article._meta.get_field(name).verbose_name)


def body_marks(old, new):
    """Mark what changed in the body, paragraph by paragraph (numbered as the new text has them)."""
    before, after = split_paragraphs(old or ""), split_paragraphs(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    marks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            marks.append(
                Mark(
                    _("paragraph %(number)s of the body") % {"number": j1 + k + 1},
                    "changed",
                    char_diff(before[i1 + k], after[j1 + k]),
                )
            )
        for k in range(j1 + paired, j2):
            marks.append(
                Mark(
                    _("paragraph %(number)s of the body") % {"number": k + 1},
                    "added",
                    format_html("<ins>{}</ins>", after[k]),
                )
            )
        for k in range(i1 + paired, i2):
            marks.append(
                Mark(
                    _("former paragraph %(number)s of the body") % {"number": k + 1},
                    "removed",
                    format_html("<del>{}</del>", before[k]),
                )
            )
    return marks


def _photo_label(photo_id, captions):
    caption = captions.get(photo_id) or ""
    return _("photo “%(caption)s”") % {"caption": caption} if caption else _("a photo")


def _byline(entry):
    return f"{Byline.Role(entry['role']).label} {entry['name']}"


def marks(old, new, *, captions=None, sections=None):
    """Mark every part that changed between two revision snapshots, in the form's order.

    captions maps photo ids to their own captions, sections section ids to
    their names (read once for a whole history by tracked_changes).
    """
    old = old or {"fields": {}, "section": None, "bylines": [], "tags": [], "photos": []}
    captions, sections = captions or {}, sections or {}
    result = []
    for name in TEXT_FIELDS:
        before, after = old["fields"].get(name, ""), new["fields"].get(name, "")
        if before == after:
            continue
        if name == "body":
            result += body_marks(before, after)
            continue
        if name == "kind":
            before = str(Article.Kind(before).label) if before else ""
            after = str(Article.Kind(after).label) if after else ""
            diff = format_html("<del>{}</del> <ins>{}</ins>", before, after)
        else:
            diff = char_diff(before, after)
        verb = "added" if not before else "removed" if not after else "changed"
        result.append(Mark(_field_label(name), verb, diff))
    if old["section"] != new["section"]:
        names = [sections.get(s, "—") for s in (old["section"], new["section"])]
        diff = format_html("<del>{}</del> <ins>{}</ins>", *names)
        result.append(Mark(_("section"), "changed", diff))
    if old["bylines"] != new["bylines"]:
        gone = [_byline(b) for b in old["bylines"] if b not in new["bylines"]]
        came = [_byline(b) for b in new["bylines"] if b not in old["bylines"]]
        diff = format_html("<del>{}</del> <ins>{}</ins>", " ".join(gone), " ".join(came))
        result.append(Mark(_("bylines"), "changed", diff))
    if old["tags"] != new["tags"]:
        gone = [t for t in old["tags"] if t not in new["tags"]]
        came = [t for t in new["tags"] if t not in old["tags"]]
        diff = format_html("<del>{}</del> <ins>{}</ins>", " ".join(gone), " ".join(came))
        result.append(Mark(_("tags"), "changed", diff))
    result += _photo_marks(old["photos"], new["photos"], captions)
    return result


def _photo_marks(old, new, captions):
    before = {p["photo"]: p["caption"] for p in old}
    after = {p["photo"]: p["caption"] for p in new}
    result = []
    for photo, caption in after.items():
        shown = caption or captions.get(photo, "")
        if photo not in before:
            label = _photo_label(photo, {photo: shown})
            result.append(Mark(label, "added", format_html("<ins>{}</ins>", shown or "—")))
        elif before[photo] != caption:
            old_shown = before[photo] or captions.get(photo, "")
            result.append(
                Mark(
                    _("the caption of %(photo)s") % {"photo": _photo_label(photo, captions)},
                    "changed",
                    char_diff(old_shown, shown),
                )
            )
    for photo, caption in before.items():
        if photo not in after:
            shown = caption or captions.get(photo, "")
            label = _photo_label(photo, {photo: shown})
            result.append(Mark(label, "removed", format_html("<del>{}</del>", shown or "—")))
    if not result and [p["photo"] for p in old] != [p["photo"] for p in new]:
        result.append(Mark(_("the order of the photos"), "changed", ""))
    return result


def filed_at(article):
    """When article was first filed (submitted to the desk), or None if it never was."""
    return (
        TransitionLog.objects.filter(article=article, action="submit")
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )


class _Levels:
    """The review level copy stood at, at any moment, from its rounds and approvals."""

    def __init__(self, article):
        self.rounds = list(Submission.objects.filter(article=article).order_by("submitted_at"))
        self.approvals = list(Approval.objects.filter(submission__in=self.rounds))

    def at(self, moment):
        for submission in reversed(self.rounds):
            if submission.submitted_at <= moment and (
                submission.closed_at is None or submission.closed_at > moment
            ):
                standing = sum(
                    1
                    for a in self.approvals
                    if a.submission_id == submission.pk
                    and a.at <= moment
                    and (a.voided_at is None or a.voided_at > moment)
                )
                if standing >= submission.levels:
                    return _("after approval")
                return _("during %(level)s") % {"level": ReviewLevel(standing + 1).label}
        return _("with its filer")


def tracked_changes(article):
    """Return the changes made to article since it was filed, oldest first (留痕)."""
    since = filed_at(article)
    if since is None:
        return []
    history = list(article.revisions.select_related("created_by__person").order_by("number"))
    before = [r for r in history if r.created_at <= since]
    after = [r for r in history if r.created_at > since]
    if not before and after:
        # Copy without a revision from before its filing (made outside the
        # forms): its first revision is where the record starts.
        before = [after.pop(0)]
    if not after:
        return []
    photo_ids = {p["photo"] for r in history for p in r.content["photos"]}
    captions = dict(Photo.objects.filter(pk__in=photo_ids).values_list("pk", "caption"))
    sections = {
        pk: str(name)
        for pk, name in Section.objects.filter(
            pk__in={r.content["section"] for r in history if r.content["section"]}
        ).values_list("pk", "name")
    }
    levels = _Levels(article)
    colours = {}
    previous = before[-1].content
    changes = []
    for revision in after:
        found = marks(previous, revision.content, captions=captions, sections=sections)
        previous = revision.content
        if not found:
            continue
        key = revision.created_by_id
        colour = colours.setdefault(key, len(colours) % COLOURS)
        changes.append(
            Change(
                revision=revision,
                who=name_of(revision.created_by) or _("Someone"),
                colour=colour,
                level=levels.at(revision.created_at),
                marks=found,
            )
        )
    return changes


def in_words(old, new, *, user):
    """Say in one line what user changed between two snapshots ("" if nothing): for the history."""
    found = marks(old, new)
    return "；".join(mark.sentence(name_of(user)) for mark in found)
