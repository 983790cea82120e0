"""Editions and their pages: the planner, the preflight, sign-off and publication."""

import datetime
from typing import ClassVar

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions, services, workflow
from articles.editions.forms import PageImportForm
from articles.epaper import pages as epaper_pages
from articles.epaper.render import PagePDFError
from articles.importer.parse import PageFormatError, parse_page
from articles.models import Article, ArticleZone, Edition, Page, PageImport
from articles.selectors import for_planner
from newsroom.keys import clean_pk
from newsroom.models import JobState
from newsroom.widgets import AutocompleteFields
from newsroom.writepath import (
    ParentRulesInline,
    ReadOnlyInline,
    VersionedForm,
    WritePathAdmin,
    status_badge,
)
from people.admin import person_display


def latest_edition():
    return Edition.objects.exclude(number=None).order_by("-date").first() or (
        Edition.objects.order_by("-date").first()
    )


def next_edition_defaults(today=None):
    """What a new edition most likely is: the day after the latest (tomorrow at the
    earliest), the next running number, and the latest edition's pages."""
    today = today or timezone.localdate()
    latest = latest_edition()
    tomorrow = today + datetime.timedelta(days=1)
    if latest is None:
        return {"date": tomorrow}, []
    numbers = Edition.objects.exclude(number=None).order_by("-number").values_list("number")
    last_number = numbers.first()
    initial = {"date": max(latest.date + datetime.timedelta(days=1), tomorrow)}
    if last_number is not None:
        initial["number"] = last_number[0] + 1
    pages = [
        {"number": p.number, "name": p.name, "editor": p.editor_id, "capacity": p.capacity}
        for p in latest.pages.order_by("number")
    ]
    return initial, pages


class PageInline(ParentRulesInline, AutocompleteFields, admin.TabularInline):
    """The edition's pages, changed while it is being planned (each through services.save_page).

    A new edition starts with the pages of the latest one (number, name, page
    editor, capacity), to keep or change.
    """

    model = Page
    autocomplete_fields = ["editor"]
    fields = ["number", "name", "editor", "capacity"]
    extra = 0

    parent_rule = staticmethod(permissions.can_change_edition)

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None and request.method == "GET":
            return len(next_edition_defaults()[1])
        return super().get_extra(request, obj, **kwargs)


@admin.register(Edition)
class EditionAdmin(WritePathAdmin):
    change_form_template = "admin/articles/edition/change_form.html"
    list_display = [
        "date",
        "number",
        "status_badge",
        "page_count",
        "article_count",
        "scheduled_at",
        "published_at",
        "planner_link",
    ]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["date", "number"]
    inlines = [PageInline]
    readonly_fields = [
        "status_badge",
        "signed_off_by_name",
        "signed_off_at",
        "scheduled_at",
        "published_at",
        "page_plan",
    ]
    fields = [
        "date",
        "number",
        "page_plan",
        "status_badge",
        "signed_off_by_name",
        "signed_off_at",
        "scheduled_at",
        "published_at",
    ]

    signed_off_by_name = person_display("signed_off_by", _("signed off by"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _page_count=Count("pages", distinct=True),
                _article_count=Count("pages__articles", distinct=True),
            )
            # Grouped queries lose Meta.ordering; the page form's edition
            # autocomplete pages through this queryset.
            .order_by(*Edition._meta.ordering)
        )

    change_rule = staticmethod(permissions.can_change_edition)

    delete_rule = staticmethod(permissions.why_not_delete_edition)

    def get_changeform_initial_data(self, request):
        initial = next_edition_defaults()[0]
        return {**initial, **super().get_changeform_initial_data(request)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PageInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = next_edition_defaults()[1]
        return kwargs

    def write(self, request, obj, form, formsets):
        services.save_edition(obj, user=request.user, base_version=self.base_version(form))
        pages = formsets.get(Page)
        if pages is not None:
            for page in pages.deleted_objects:
                services.delete_page(page, user=request.user)
            for page in [*pages.new_objects, *(page for page, _fields in pages.changed_objects)]:
                page.edition = obj
                services.save_page(page, user=request.user)

    def delete(self, request, obj):
        services.delete_edition(obj, user=request.user)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    def view_on_site(self, obj):
        # Readers see an edition only once it is published.
        return obj.get_absolute_url() if obj in Edition.objects.published() else None

    @admin.display(description=_("pages"), ordering="_page_count")
    def page_count(self, obj):
        return obj._page_count

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description=_("planner"))
    def planner_link(self, obj):
        url = reverse("admin:articles_edition_planner", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Open planner"))

    @admin.display(description=_("pages and their articles"))
    def page_plan(self, obj):
        if obj.pk is None:
            return "—"
        return render_to_string(
            "admin/articles/edition/page_plan.html", {"pages": for_planner(obj)}
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/planner/",
                self.admin_site.admin_view(self.planner_view),
                name="articles_edition_planner",
            ),
            *super().get_urls(),
        ]

    def planner_view(self, request, object_id):
        edition = self.get_object(request, object_id)
        if edition is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        if request.method == "POST":
            self.planner_action(request, edition)
            return HttpResponseRedirect(request.path)
        pages = for_planner(edition)
        planning = edition.status == Edition.Status.PLANNING
        # Once signed off, the preflight has passed and the pages cannot change:
        # published copy is not a problem to report.
        report = workflow.preflight(edition, pages) if planning else workflow.Preflight(edition)
        columns = [
            {
                "page": page,
                "problems": report.for_page(page),
                "articles": [
                    {"article": a, "problems": report.for_article(a)} for a in page.articles.all()
                ],
                "fill": page_fill(page),
            }
            for page in pages
        ]
        user = request.user
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": edition,
            "edition": edition,
            "title": gettext("Planner: %(edition)s") % {"edition": edition},
            "status": status_badge(edition.status, edition.get_status_display()),
            "columns": columns,
            "report": report,
            "edition_problems": [p for p in report.problems if p.page is None],
            "waiting": (
                Article.objects.filter(status=Article.Status.APPROVED, page=None)
                # The page a story was assigned for is offered first (its brief's plan).
                .annotate(planned_page_id=F("assignment__page_id"))
                .prefetch_related("bylines__person")
                .order_by("approved_at", "pk")
                if planning
                else []
            ),
            "planning": planning,
            "may_place": planning and permissions.why_not_place(user) is None,
            "may_publish": permissions.why_not_run_edition(user) is None,
            "now": timezone.localtime(),
        }
        return TemplateResponse(request, "admin/articles/edition/planner.html", context)

    def planner_action(self, request, edition):
        user, post = request.user, request.POST
        action = post.get("action", "")
        article = None
        if post.get("article"):
            article = Article.objects.filter(pk=clean_pk(Article, post["article"])).first()
        try:
            if action in {"place", "up", "down", "unplace"} and article is None:
                raise workflow.TransitionRefused(gettext("That article no longer exists."))
            if action == "place":
                page = get_object_or_404(
                    Page, pk=clean_pk(Page, post.get("page")) or 0, edition=edition
                )
                workflow.place(article, user=user, page=page)
            elif action in {"up", "down"}:
                workflow.move(article, user=user, offset=-1 if action == "up" else 1)
            elif action == "unplace":
                workflow.unplace(article, user=user)
            elif action == "sign_off":
                workflow.sign_off(edition, user=user)
            elif action == "reopen":
                workflow.reopen_edition(edition, user=user)
            elif action == "publish":
                workflow.request_publication(edition, user=user)
            elif action == "schedule":
                try:
                    at = parse_datetime(post.get("at", ""))
                except ValueError:  # well formed but impossible: 2022-02-30T25:61
                    at = None
                if at is None:
                    raise workflow.TransitionRefused(gettext("Give a date and time to schedule."))
                if timezone.is_naive(at):
                    at = timezone.make_aware(at)
                workflow.schedule(edition, user=user, at=at)
            elif action == "unschedule":
                workflow.unschedule(edition, user=user)
            else:
                raise workflow.TransitionRefused(gettext("Unknown action."))
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, planner_done(action, edition, article), messages.SUCCESS)


def active_content_removed(names):
    """What was taken out of a page PDF (its /OpenAction, /JavaScript …), in the newsroom's words."""
    return gettext("Active content is taken out of the PDF before it is kept: %(names)s.") % {
        "names": ", ".join(name.lstrip("/") for name in names)
    }


def page_fill(page):
    """What is placed on page against its capacity, and what is planned for it (字数).

    Reads the page's prefetched articles and assignments (selectors.for_planner).
    """
    placed = sum(article.char_count for article in page.articles.all())
    placed_ids = {article.pk for article in page.articles.all()}
    planned = [a for a in page.assignments.all() if a.article_id not in placed_ids]
    expected = placed + sum(a.target_chars or 0 for a in planned)
    capacity = page.capacity
    return {
        "placed": placed,
        "capacity": capacity,
        "planned": planned,
        "expected": expected,
        "left": capacity - placed if capacity is not None else None,
        "over": capacity is not None and placed > capacity,
        "over_by": placed - capacity if capacity is not None and placed > capacity else 0,
        "percent": min(100, round(placed * 100 / capacity)) if capacity else None,
    }


def planner_done(action, edition, article):
    """What a planner action did, in the newsroom's words."""
    edition.refresh_from_db()
    if action == "sign_off":
        return gettext("Signed off: %(edition)s may now be published.") % {"edition": edition}
    if action == "publish":
        if edition.status == Edition.Status.PUBLISHED:  # the job was quicker than this page
            count = Article.objects.filter(page__edition=edition).count()
            return gettext("Published: %(edition)s is out, with %(count)s articles.") % {
                "edition": edition,
                "count": count,
            }
        return gettext(
            "Publishing %(edition)s: readers see all of it within moments (reload to follow)."
        ) % {"edition": edition}
    if action == "schedule":
        return gettext("Scheduled: %(edition)s will be published at %(at)s.") % {
            "edition": edition,
            "at": timezone.localtime(edition.scheduled_at).strftime("%Y-%m-%d %H:%M"),
        }
    words = {
        "place": gettext("Placed on the page."),
        "up": gettext("Moved up."),
        "down": gettext("Moved down."),
        "unplace": gettext("Taken off the page."),
        "reopen": gettext("Reopened for planning: the pages may change again."),
        "unschedule": gettext("The scheduled publication is cancelled."),
    }
    return words.get(action, gettext("Done."))


class PlacedArticleInline(ReadOnlyInline):
    """The copy on a page, in order; placement is changed in the edition planner."""

    model = Article
    fields: ClassVar[tuple[str, ...]] = ("position", "title", "kind", "status", "char_count")
    readonly_fields = fields
    ordering = ["position", "pk"]
    show_change_link = True
    verbose_name = _("article on this page")
    verbose_name_plural = _("articles on this page")

    @admin.display(description=_("headline"))
    def title(self, obj):
        return str(obj)


class PageForm(VersionedForm):
    """A page's number, name and editor, and its PDF from the layout program."""

    upload = forms.FileField(
        label=_("page PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_(
            "The page as the layout program exports it: one PDF page with its text layer. "
            "It is drawn and its articles are found on it in the background; check their "
            "zones below once it is done."
        ),
    )

    class Meta:
        model = Page
        fields = ["edition", "number", "name", "editor", "capacity"]

    def clean_upload(self):
        """The file's bytes, once inspected (page count, size, pixels) in the capped child."""
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size > settings.EPAPER_MAX_PDF_SIZE:  # refused before it is read
            raise forms.ValidationError(
                str(PagePDFError("too_large", size=settings.EPAPER_MAX_PDF_SIZE // (1024 * 1024)))
            )
        data = upload.read()
        try:
            self.inspection = epaper_pages.inspect(data)
        except PagePDFError as error:
            raise forms.ValidationError(str(error)) from None
        return data


class ZoneForm(forms.ModelForm):
    class Meta:
        model = ArticleZone
        fields = ["article", "left", "top", "width", "height"]
        widgets = {
            name: forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"})
            for name in ["left", "top", "width", "height"]
        }


class ZoneInline(admin.TabularInline):
    """The article zones (热区) on the page; an editor's change is kept when located again."""

    model = ArticleZone
    form = ZoneForm
    fields = ["article", "left", "top", "width", "height", "score", "is_manual"]
    readonly_fields = ["score", "is_manual"]
    extra = 0
    verbose_name = _("article zone")
    verbose_name_plural = _("article zones (fractions of the page from its top left corner)")

    def get_formset(self, request, obj=None, **kwargs):
        self.page = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            page = getattr(self, "page", None)
            kwargs["queryset"] = (
                Article.objects.filter(page=page) if page else Article.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Page)
class PageAdmin(AutocompleteFields, WritePathAdmin):
    form = PageForm
    change_form_template = "admin/articles/page/change_form.html"
    change_list_template = "admin/articles/page/change_list.html"
    list_display = ["__str__", "edition", "number", "name", "editor", "has_pdf", "article_count"]
    list_select_related = ["edition", "editor"]
    list_filter = ["name"]
    search_fields = ["name", "edition__date"]
    autocomplete_fields = ["edition", "editor"]
    readonly_fields = ["facsimile_preview"]
    fields = ["edition", "number", "name", "editor", "capacity", "upload", "facsimile_preview"]
    inlines = [ZoneInline, PlacedArticleInline]

    class Media:
        # The PDF's job shown as it runs; zones drawn on the facsimile (the zone rows stay what is saved).
        js = ["newsroom/page-pdf-job.js", "newsroom/zone-editor.js"]

    def get_queryset(self, request):
        # Grouped queries lose Meta.ordering; the assignment's page autocomplete
        # pages through this queryset.
        return (
            super()
            .get_queryset(request)
            .annotate(_article_count=Count("articles"))
            .order_by(*Page._meta.ordering)
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition in Edition.objects.published() else None

    def import_view(self, request):
        """Import a page's text: upload, read the parse, then confirm (the desk's import_page)."""
        if not (self.has_add_permission(request) and permissions.may_import_pages(request.user)):
            raise PermissionDenied
        form = PageImportForm(request.POST or None, request.FILES or None)
        items, warnings, problem = [], [], None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                parsed = parse_page(data["text"])
                items, warnings = parsed.items, parsed.warnings
                if "confirm" in request.POST:
                    row = services.submit_import(
                        data["text"],
                        date=data["date"],
                        number=data["number"],
                        name=data["name"].strip(),
                        user=request.user,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:articles_page_import_status", args=[row.pk])
                    )
            except (PageFormatError, permissions.Refused) as error:
                problem = str(error)
            # Show what was read, with the text carried to the confirmation.
            form = PageImportForm(initial={**data, "file": None})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import a page"),
            "form": form,
            "items": items,
            "warnings": warnings,
            "problem": problem,
        }
        return TemplateResponse(request, "admin/articles/page/import.html", context)

    def import_status_view(self, request, import_id):
        """How a page import stands: its progress, then what it wrote and its warnings, or why not."""
        if not permissions.may_import_pages(request.user):
            raise PermissionDenied
        row = get_object_or_404(PageImport, pk=clean_pk(PageImport, import_id) or 0)
        running = row.state in (JobState.WAITING, JobState.PROCESSING)
        result = row.result if row.state == JobState.DONE else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import of page %(number)s of %(date)s")
            % {"number": row.number, "date": row.date.isoformat()},
            "job": row,
            "running": running,
            "result": result,
            "planner_url": (
                reverse("admin:articles_edition_planner", args=[result["edition"]])
                if result
                else ""
            ),
            "import_url": reverse("admin:articles_page_import"),
        }
        response = TemplateResponse(request, "admin/articles/page/import_status.html", context)
        response["Cache-Control"] = "private, no-store"
        return response

    change_rule = staticmethod(permissions.can_change_page)

    delete_rule = staticmethod(permissions.why_not_delete_page)

    def write(self, request, obj, form, formsets):
        services.save_page(obj, user=request.user, base_version=self.base_version(form))
        if data := form.cleaned_data.get("upload"):
            services.submit_pdf(obj, data, user=request.user, inspected=True)
            request.pdf_submitted = True
            self.message_user(
                request,
                gettext(
                    "The PDF is being drawn and its articles found on it; this page shows how far."
                ),
                messages.INFO,
            )
            removed = getattr(form, "inspection", {}).get("removed")
            if removed:
                self.message_user(request, active_content_removed(removed), messages.WARNING)
        if ArticleZone in formsets:
            self._write_zones(request, obj, formsets[ArticleZone])

    def delete(self, request, obj):
        services.delete_page(obj, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return self._to_progress(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._to_progress(request, obj) or super().response_change(request, obj)

    def _to_progress(self, request, obj):
        """After a PDF is submitted, the page's form: it shows the job's progress."""
        if getattr(request, "pdf_submitted", False):
            return HttpResponseRedirect(reverse("admin:articles_page_change", args=[obj.pk]))
        return None

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description=_("PDF"), boolean=True)
    def has_pdf(self, obj):
        return bool(obj.pdf)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pdf_job:
            context["pdf_job"] = self.pdf_job_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def pdf_job_context(self, request, page):
        """What the change form shows of the page's PDF job: progress, or why it failed."""
        failed = page.pdf_job == JobState.FAILED
        removed = page.facsimile.get("removed") if page.pdf_job == JobState.DONE else None
        return {
            "state": page.pdf_job,
            "progress": page.pdf_job_progress,
            "running": page.pdf_job in (JobState.WAITING, JobState.PROCESSING),
            "failed": failed,
            "error": page.pdf_job_error,
            "may_retry": failed
            and bool(page.pdf_pending)
            and permissions.can_change_page(request.user, page),
            "status_url": reverse("admin:articles_page_pdf_job", args=[page.pk]),
            "retry_url": reverse("admin:articles_page_retry_pdf", args=[page.pk]),
            "removed": active_content_removed(removed) if removed else "",
        }

    @admin.display(description=_("facsimile"))
    def facsimile_preview(self, obj):
        if obj is None or not obj.has_facsimile:
            return gettext("No PDF yet.")
        return render_to_string(
            "admin/articles/page/facsimile.html",
            {
                "page": obj,
                "picture": obj.facsimile["renditions"][0],
                "picture_url": reverse(
                    "admin:articles_page_file",
                    args=[obj.pk, obj.facsimile["renditions"][0]["name"]],
                ),
                "zones": obj.zones.select_related("article"),
                "pdf_url": reverse("admin:articles_page_file", args=[obj.pk, "page.pdf"]),
            },
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_page_import",
            ),
            path(
                "import/<str:import_id>/",
                self.admin_site.admin_view(self.import_status_view),
                name="articles_page_import_status",
            ),
            path(
                "<path:object_id>/file/<str:name>",
                self.admin_site.admin_view(self.file_view),
                name="articles_page_file",
            ),
            path(
                "<path:object_id>/relocate/",
                self.admin_site.admin_view(self.relocate_view),
                name="articles_page_relocate",
            ),
            path(
                "<path:object_id>/pdf-job/",
                self.admin_site.admin_view(self.pdf_job_view),
                name="articles_page_pdf_job",
            ),
            path(
                "<path:object_id>/retry-pdf/",
                self.admin_site.admin_view(self.retry_pdf_view),
                name="articles_page_retry_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_job_view(self, request, object_id):
        """Where the page's PDF job stands, for the change form's progress bar (polled)."""
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        response = JsonResponse(
            {
                "state": page.pdf_job,
                "progress": page.pdf_job_progress,
                "error": page.pdf_job_error,
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def retry_pdf_view(self, request, object_id):
        """Run the page's failed PDF job again (pages.retry_pdf, which asks the rules)."""
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404
        if request.method == "POST":
            try:
                services.retry_pdf(page, user=request.user)
            except permissions.Refused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                self.message_user(
                    request, gettext("The PDF is being processed again."), messages.INFO
                )
        return HttpResponseRedirect(reverse("admin:articles_page_change", args=[page.pk]))

    def file_view(self, request, object_id, name):
        """The page's PDF and pictures for the newsroom, whatever the edition's state."""
        page = self.get_object(request, object_id)
        if page is None or not page.pdf:
            raise Http404
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        stored = epaper_pages.stored_files(page)
        wanted = (
            page.pdf.name
            if name == "page.pdf"
            else next((item for item in stored[1:] if item.endswith("/" + name)), None)
        )
        if wanted is None:
            raise Http404
        response = FileResponse(
            page.pdf.storage.open(wanted, "rb"),
            content_type="application/pdf" if name == "page.pdf" else "image/webp",
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def relocate_view(self, request, object_id):
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_page_change", args=[page.pk]))
        try:
            result = epaper_pages.relocate(page, user=request.user)
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self._report(request, result)
        return HttpResponseRedirect(reverse("admin:articles_page_change", args=[page.pk]))

    def _report(self, request, result):
        self.message_user(
            request,
            gettext("%(found)s of %(total)s articles found on the page.")
            % {"found": result.found, "total": result.total},
            messages.SUCCESS if result.found == result.total else messages.WARNING,
        )

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only (a signed-off or published edition): nothing to upload.
            return [name for name in self.fields if name != "upload"]
        return self.fields

    def _write_zones(self, request, page, formset):
        # Zones change through the e-paper's writes, which check the edition's state;
        # a refusal rolls the whole save back and the form comes back as typed.
        for zone_form in formset.forms:
            if not zone_form.has_changed() and zone_form not in formset.deleted_forms:
                continue
            if zone_form in formset.deleted_forms:
                if zone_form.instance.pk:
                    epaper_pages.forget_zone(page, zone_form.instance.article, user=request.user)
                continue
            data = zone_form.cleaned_data
            if not data:
                continue
            epaper_pages.correct_zone(
                page,
                data["article"],
                user=request.user,
                left=data["left"],
                top=data["top"],
                width=data["width"],
                height=data["height"],
            )
