"""The e-paper's writes: attach a page PDF, locate the articles again, correct a zone.

Part of the write path (articles/services.py): each asks
articles.permissions whether the user may change the page now (an editor,
while the edition is being planned: signed-off and published editions are
read-only until reopened), locks it and raises its version. A refusal raises
permissions.Refused and changes nothing; a file that is not a page PDF
raises render.PagePDFError, and nothing is stored.

A page PDF is drawn and located in the background: submit_pdf() checks the
file (in a capped child process, so the form can say what is wrong with
it), keeps it as the page's pending PDF and enqueues the job
(tasks.process_page_pdf), which runs process_pdf(): the page's job state
goes waiting → processing → done (the PDF, its pictures and its zones
replace the old ones in one transaction) or failed (with the reason; the
old PDF stays). attach_pdf() does the same at once, for the admin's form
and the demo until they show the job's progress.
"""

import dataclasses
import hashlib
import posixpath
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.epaper import isolation
from articles.epaper.locate import Copy
from articles.epaper.render import Limits, PagePDFError
from articles.models import Article, ArticleZone, Page
from articles.permissions import Refused, why_not_change_page
from newsroom.background import enqueue_on_commit
from newsroom.models import JobState

# How long past its time cap a job may hold a page before another may take it over.
CLAIM_GRACE = timedelta(seconds=30)
# A job waiting this long was probably never enqueued (the enqueue was lost
# after its commit): it is enqueued again (tasks.resume_stalled_pages).
WAITING_TOO_LONG = timedelta(minutes=2)


@dataclass
class Located:
    """What locating a page found: how many of its articles, and which were not."""

    page: Page
    found: int
    total: int
    missing: list
    # Drawing and locating failed: why (the page keeps its previous PDF).
    failed: str = ""
    # Active content taken out of the PDF before it was kept (/OpenAction, /JavaScript …).
    removed: list = field(default_factory=list)

    @property
    def share(self):
        return self.found / self.total if self.total else 1.0


def _locked(page, user):
    locked = Page.objects.select_for_update().select_related("edition").get(pk=page.pk)
    if reason := why_not_change_page(user, locked):
        raise Refused(reason)
    # What a form opened before this change shows is out of date now.
    Page.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    return locked


def submit_pdf(page, data, *, user, inspected=False):
    """Keep data as page's next PDF and have it drawn and located in the background.

    Refused (Refused, PagePDFError) before anything is stored when the user
    may not change the page or the file is not a page PDF we accept. Return
    the page, its job waiting. inspected=True when the caller (the page's
    form) has just inspected data itself: the job's own caps hold whatever
    was checked before, so a second inspection would only make the editor
    wait twice.
    """
    return _submit(page, data, user=user, enqueue=True, inspected=inspected)


def attach_pdf(page, data, *, user):
    """Store data as page's PDF with its web pictures, and locate its articles, now.

    The same work as submit_pdf's job, done before returning (still in the
    capped child process). A file refused on inspection raises PagePDFError;
    one that fails while drawn (over a cap) leaves the page's previous PDF,
    records why on the page and says so in the result's `failed`.
    """
    pending = _submit(page, data, user=user, enqueue=False)
    result = process_pdf(pending.pk, pending.pdf_job_digest, seconds=settings.EPAPER_INLINE_SECONDS)
    if result is None:  # the edition closed meanwhile, or the page is gone
        pending = Page.objects.filter(pk=pending.pk).first() or pending
        return Located(page=pending, found=0, total=0, missing=[], failed=pending.pdf_job_error)
    return result


def inspect(data):
    """Check data as a page PDF without drawing it (in the capped child); PagePDFError if refused.

    The file's size first, without starting a process; then its page count,
    page size and the pixels it would be drawn to.
    """
    limits = Limits.from_settings()
    if len(data) > limits.max_bytes:
        raise PagePDFError("too_large", size=limits.max_bytes // (1024 * 1024))
    return isolation.inspect(data, limits)


def _submit(page, data, *, user, enqueue, inspected=False):
    if reason := why_not_change_page(user, page):
        raise Refused(reason)
    if not inspected:
        inspect(data)  # the form's refusals, before any write
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        locked = _locked(page, user)
        replaced = locked.pdf_pending.name
        locked.pdf_pending.save("page.pdf", ContentFile(data), save=False)
        locked.pdf_job = JobState.WAITING
        locked.pdf_job_digest = digest
        locked.pdf_job_error = ""
        locked.pdf_job_progress = 0
        locked.pdf_job_claim = ""
        locked.pdf_job_attempts = 0
        locked.pdf_job_at = timezone.now()
        locked.pdf_job_by = user
        locked.save(update_fields=_JOB_FIELDS)
        if replaced:
            storage = locked.pdf_pending.storage
            transaction.on_commit(lambda: _delete(storage, [replaced]))
        if enqueue:
            from articles.epaper.tasks import process_page_pdf

            enqueue_on_commit(process_page_pdf, locked.pk, digest)
    return locked


_JOB_FIELDS = [
    "pdf_pending",
    "pdf_job",
    "pdf_job_digest",
    "pdf_job_error",
    "pdf_job_progress",
    "pdf_job_claim",
    "pdf_job_attempts",
    "pdf_job_at",
    "pdf_job_by",
]


def retry_pdf(page, *, user):
    """Run a failed page PDF's job again (after a lost worker or a cap raised)."""
    with transaction.atomic():
        locked = _locked(page, user)
        if locked.pdf_job != JobState.FAILED or not locked.pdf_pending:
            raise Refused(_("This page has no failed PDF to process again."))
        locked.pdf_job_by = user
        _reset(locked)
        from articles.epaper.tasks import process_page_pdf

        enqueue_on_commit(process_page_pdf, locked.pk, locked.pdf_job_digest)
    return locked


def _reset(page):
    page.pdf_job, page.pdf_job_error, page.pdf_job_progress = JobState.WAITING, "", 0
    page.pdf_job_claim, page.pdf_job_attempts, page.pdf_job_at = "", 0, timezone.now()
    page.save(update_fields=_JOB_FIELDS)


def _why_not_now(page):
    """Why the job may not change page now: its submitter may no longer (the edition closed)."""
    if page.pdf_job_by is None:
        return _("The account that submitted this PDF no longer exists; submit it again.")
    return why_not_change_page(page.pdf_job_by, page)


def process_pdf(page_id, digest, *, claim="", seconds=None):
    """Draw and locate the page's pending PDF: the job's work. Return Located, or None.

    Keyed by the page and the digest of its pending PDF: a job for a PDF that
    has been replaced, or that is done, or that another job is drawing,
    does nothing (None). claim names the job that runs it (its task result
    id), so that the same job run again after losing its worker takes up its
    own work. The drawing runs outside any transaction, in the capped child
    process; its result replaces the page's PDF, pictures and zones in one
    transaction, or the page records why it failed. seconds, when given,
    caps the drawing shorter than EPAPER_JOB_SECONDS (a request's budget).
    """
    limits = Limits.from_settings()
    if seconds is not None:
        limits = dataclasses.replace(limits, seconds=min(limits.seconds, seconds))
    with transaction.atomic():
        page = (
            Page.objects.select_for_update(of=("self",))
            .select_related("edition", "pdf_job_by")
            .filter(pk=page_id)
            .first()
        )
        if page is None or page.pdf_job_digest != digest:
            return None
        stale = page.pdf_job_at is None or page.pdf_job_at < timezone.now() - (
            timedelta(seconds=Limits.from_settings().seconds) + CLAIM_GRACE
        )
        if page.pdf_job == JobState.PROCESSING and not (
            stale or (claim and page.pdf_job_claim == claim)
        ):
            return None  # another job is on it
        if page.pdf_job not in (JobState.WAITING, JobState.PROCESSING):
            return None  # done or failed: nothing to do twice
        if reason := _why_not_now(page):
            _fail(page, reason)
            return None
        if page.pdf_job_attempts >= settings.TASKS_MAX_ATTEMPTS:
            # Each attempt lost its worker (or ran past every cap): not another.
            _fail(
                page,
                _(
                    "Processing the PDF was interrupted %(count)s times (its worker stopped); "
                    "it was not tried again."
                )
                % {"count": page.pdf_job_attempts},
            )
            return None
        page.pdf_job = JobState.PROCESSING
        page.pdf_job_progress = 5
        page.pdf_job_claim = claim
        page.pdf_job_attempts += 1
        page.pdf_job_at = timezone.now()
        page.save(update_fields=_JOB_FIELDS)
        with page.pdf_pending.open("rb") as handle:
            data = handle.read()
        copies = copies_of(page)
    # Claimed (committed): the drawing happens without holding the page.
    current = Page.objects.filter(
        pk=page_id, pdf_job_digest=digest, pdf_job=JobState.PROCESSING, pdf_job_claim=claim
    )
    try:
        outcome = isolation.process(
            data,
            copies,
            limits,
            on_progress=lambda percent: current.update(pdf_job_progress=percent),
        )
    except PagePDFError as refused:
        with transaction.atomic():
            page = current.select_for_update(of=("self",)).first()
            if page is not None:
                _fail(page, str(refused))
        return _failed(page_id, copies, str(refused))
    # The pictures are named by their content, beside the pending PDF: a job
    # run twice finds them there and stores nothing twice.
    storage = page.pdf_pending.storage
    folder = posixpath.dirname(page.pdf_pending.name)
    renditions = []
    for picture in outcome.rendered.pictures:
        name = posixpath.join(folder, picture.name)
        if not storage.exists(name):
            name = storage.save(name, ContentFile(picture.data))
        renditions.append(
            {
                "kind": picture.kind,
                "name": posixpath.basename(name),
                "width": picture.width,
                "height": picture.height,
                "content_type": picture.content_type,
            }
        )
    cleaned = None
    if outcome.cleaned is not None:
        # Without its active content: named by its content too.
        cleaned = posixpath.join(
            folder, f"page-{hashlib.sha256(outcome.cleaned).hexdigest()[:12]}.pdf"
        )
        if not storage.exists(cleaned):
            cleaned = storage.save(cleaned, ContentFile(outcome.cleaned))
    with transaction.atomic():
        page = current.select_for_update(of=("self",)).first()
        if page is None:  # replaced while it was drawn: the newer PDF's job does the rest
            _forget_unused(page_id, storage, folder, [r["name"] for r in renditions], cleaned)
            return None
        old = stored_files(page)
        pending = page.pdf_pending.name
        page.pdf.name = cleaned or pending
        page.pdf_pending.name = ""
        page.facsimile = {
            "width": outcome.rendered.width,
            "height": outcome.rendered.height,
            "renditions": renditions,
            # What was taken out of the PDF before it was kept, for the page's form.
            "removed": outcome.removed,
        }
        page.pdf_job = JobState.DONE
        page.pdf_job_progress = 100
        page.pdf_job_error = ""
        page.pdf_job_at = timezone.now()
        page.save(update_fields=["pdf", "facsimile", *_JOB_FIELDS])
        # What a form opened before this change shows is out of date now.
        Page.objects.filter(pk=page.pk).update(version=F("version") + 1)
        # The previous PDF's zones were measured on another page: only an
        # editor's corrections survive, and are checked again by eye.
        result = _store_zones(page, copies, outcome.zones)
        result.removed = outcome.removed
        gone = old + ([pending] if cleaned else [])
        transaction.on_commit(lambda: _delete(storage, gone))
    return result


def _forget_unused(page_id, storage, folder, pictures, cleaned):
    """Delete what a job stored for a PDF that was replaced, unless the page still uses its folder."""
    names = Page.objects.filter(pk=page_id).values_list("pdf", "pdf_pending").first() or ()
    if folder in {posixpath.dirname(name) for name in names if name}:
        return  # another run of the same PDF's job is using them
    _delete(
        storage,
        [posixpath.join(folder, name) for name in pictures] + ([cleaned] if cleaned else []),
    )


def stalled_jobs():
    """Return (page id, digest) of each page PDF whose job seems lost, to be enqueued again.

    Waiting too long (its enqueue was lost), or held by a job past its caps
    (its worker died). A waiting one counts from now on, so that it is not
    enqueued again at every sweep while the queue is merely long.
    """
    now = timezone.now()
    held_too_long = timedelta(seconds=settings.EPAPER_JOB_SECONDS) + CLAIM_GRACE
    stalled = Page.objects.filter(
        pdf_job=JobState.WAITING, pdf_job_at__lt=now - WAITING_TOO_LONG
    ) | Page.objects.filter(pdf_job=JobState.PROCESSING, pdf_job_at__lt=now - held_too_long)
    found = list(stalled.values_list("pk", "pdf_job", "pdf_job_digest"))
    waiting = [pk for pk, state, _digest in found if state == JobState.WAITING]
    Page.objects.filter(pk__in=waiting, pdf_job=JobState.WAITING).update(pdf_job_at=now)
    return [(pk, digest) for pk, _state, digest in found]


def _fail(page, reason):
    page.pdf_job = JobState.FAILED
    page.pdf_job_error = reason
    page.pdf_job_progress = 0
    page.pdf_job_at = timezone.now()
    page.save(update_fields=_JOB_FIELDS)


def _failed(page_id, copies, reason):
    page = Page.objects.get(pk=page_id)
    keys = [copy.key for copy in copies]
    return Located(page=page, found=0, total=len(keys), missing=keys, failed=reason)


def relocate(page, *, user):
    """Locate the page's articles on its PDF again, keeping editors' zones."""
    with transaction.atomic():
        locked = _locked(page, user)
        if not locked.pdf:
            raise Refused(_("This page has no PDF yet."))
        with locked.pdf.open("rb") as handle:
            data = handle.read()
        return _locate(locked, data)


def correct_zone(page, article, *, user, left, top, width, height):
    """Set article's zone on page by hand; it is kept when the page is located again."""
    values = {"left": left, "top": top, "width": width, "height": height}
    for name, value in values.items():
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise Refused(
                _("%(name)s must be a fraction of the page, from 0 to 1.") % {"name": name}
            )
    if width <= 0 or height <= 0 or left + width > 1.0001 or top + height > 1.0001:
        raise Refused(_("The zone must have a size and lie inside the page."))
    with transaction.atomic():
        locked = _locked(page, user)
        if article.page_id != locked.pk:
            raise Refused(_("“%(title)s” is not on this page.") % {"title": article})
        zone, _created = ArticleZone.objects.update_or_create(
            page=locked,
            article=article,
            defaults={**values, "is_manual": True, "score": 1.0},
        )
    return zone


def forget_zone(page, article, *, user):
    """Drop an editor's zone for article and locate it from the PDF again."""
    with transaction.atomic():
        locked = _locked(page, user)
        ArticleZone.objects.filter(page=locked, article=article).delete()
        if not locked.pdf:
            return None
        with locked.pdf.open("rb") as handle:
            return _locate(locked, handle.read())


def copies_of(page):
    """Return what locate() looks for: the page's articles with the text they print."""
    copies = []
    for article in page.articles.prefetch_related("article_photos__photo"):
        uses = list(article.article_photos.all())
        captions = (
            [use.display_caption for use in uses] if article.kind != Article.Kind.PHOTO else []
        )
        copies.append(
            Copy(
                key=article.pk,
                texts=[
                    article.kicker,
                    article.headline,
                    article.subheadline,
                    *article.paragraphs,
                    *captions,
                ],
                has_picture=bool(uses) or article.kind == Article.Kind.PHOTO,
            )
        )
    return copies


def _locate(page, data):
    """Locate the page's articles on data (its stored PDF) in the capped child process."""
    copies = copies_of(page)
    try:
        # In the editor's request: its budget, not a job's.
        limits = dataclasses.replace(Limits.from_settings(), seconds=settings.EPAPER_INLINE_SECONDS)
        zones = isolation.locate(data, copies, limits)
    except PagePDFError as error:
        raise Refused(str(error)) from None
    return _store_zones(page, copies, zones)


def _store_zones(page, copies, zones):
    manual = set(page.zones.filter(is_manual=True).values_list("article_id", flat=True))
    page.zones.filter(is_manual=False).delete()
    ArticleZone.objects.bulk_create(
        ArticleZone(
            page=page,
            article_id=key,
            left=zone.left,
            top=zone.top,
            width=zone.width,
            height=zone.height,
            score=zone.score,
        )
        for key, zone in zones.items()
        if key not in manual
    )
    missing = [copy.key for copy in copies if copy.key not in zones and copy.key not in manual]
    return Located(page=page, found=len(copies) - len(missing), total=len(copies), missing=missing)


def stored_files(page):
    """Return the storage names of page's PDF and pictures."""
    if not page.pdf:
        return []
    folder = posixpath.dirname(page.pdf.name)
    return [page.pdf.name] + [
        posixpath.join(folder, item["name"]) for item in page.facsimile.get("renditions", [])
    ]


def _delete(storage, names):
    for name in names:
        storage.delete(name)
