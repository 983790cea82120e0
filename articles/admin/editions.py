"""Editions and their pages: the planner, the preflight, sign-off and publication."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsroom.keys import clean_pk

from .. import workflow
from ..models import (
    Article,
    Edition,
    Page,
)
from ..selectors import for_planner
from .common import ADMIN_CSS, ReadOnlyInline, status_badge


class PageInline(admin.TabularInline):
    model = Page
    autocomplete_fields = ["editor"]
    fields = ["number", "name", "editor"]
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
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
        "signed_off_by",
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
        "signed_off_by",
        "signed_off_at",
        "scheduled_at",
        "published_at",
    ]

    class Media:
        css = ADMIN_CSS

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
        report = workflow.preflight(edition, pages)
        columns = [
            {
                "page": page,
                "problems": report.for_page(page),
                "articles": [
                    {"article": a, "problems": report.for_article(a)} for a in page.articles.all()
                ],
            }
            for page in pages
        ]
        user = request.user
        planning = edition.status == Edition.Status.PLANNING
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
                .prefetch_related("bylines__person")
                .order_by("approved_at", "pk")
                if planning
                else []
            ),
            "may_place": planning and user.has_perm(workflow.PERM_DESK),
            "may_publish": user.has_perm(workflow.PERM_EDITION),
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
                workflow.publish_edition(edition, user=user)
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
        except workflow.TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, gettext("Done."), messages.SUCCESS)


class PlacedArticleInline(ReadOnlyInline):
    """The copy on a page, in order; placement is changed in the edition planner."""

    model = Article
    fields = ["position", "title", "kind", "status", "char_count"]
    readonly_fields = fields
    ordering = ["position", "pk"]
    show_change_link = True
    verbose_name = _("article on this page")
    verbose_name_plural = _("articles on this page")

    @admin.display(description=_("headline"))
    def title(self, obj):
        return str(obj)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edition", "number", "name", "editor", "article_count"]
    list_select_related = ["edition", "editor"]
    list_filter = ["name"]
    search_fields = ["name", "edition__date"]
    autocomplete_fields = ["edition", "editor"]
    inlines = [PlacedArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition in Edition.objects.published() else None

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count
