"""The copy desk's main page: articles, their bylines, photos, revisions and workflow panel."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import revisions, search, workflow
from ..cache import article_keys, content_changed
from ..models import (
    Article,
    ArticlePhoto,
    Byline,
    Correction,
    Edition,
    Page,
    TransitionLog,
)
from ..search.tags import suggest_tags
from . import diff
from .common import ADMIN_CSS, ArticleListMixin, ReadOnlyInline, status_badge
from .filters import EditionDateFilter, EditionFilter, PersonFilter, TagFilter
from .forms import ArticleAdminForm


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]
    extra = 1


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    autocomplete_fields = ["photo"]
    fields = ["photo", "caption", "position"]
    extra = 0


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["created_at", "created_by", "text"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return True  # corrections are public anyway


class TransitionLogInline(ReadOnlyInline):
    model = TransitionLog
    fields = ["at", "actor", "step", "note"]
    readonly_fields = fields
    verbose_name_plural = _("workflow log")

    def has_view_permission(self, request, obj=None):
        return True  # the filer sees why copy came back

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("step"))
    def step(self, obj):
        return str(obj)


@admin.register(Article)
class ArticleAdmin(ArticleListMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "kind",
        "status_badge",
        "placement",
        "filed_by",
        "char_count",
        "updated_at",
    ]
    list_filter = [
        "status",
        "kind",
        "section",
        EditionFilter,
        EditionDateFilter,
        PersonFilter,
        TagFilter,
    ]
    list_select_related = ["page__edition", "section", "created_by"]
    # "N of M" needs a second COUNT(*) of the whole table on every load; the
    # filtered count the pages need is enough.
    show_full_result_count = False
    # Searched with the Chinese search engine (articles/search.py), see below.
    search_fields = ["headline"]
    search_help_text = _("Words in the headline, text, captions, bylines or tags.")
    date_hierarchy = "created_at"
    autocomplete_fields = ["section"]
    inlines = [BylineInline, ArticlePhotoInline, CorrectionInline, TransitionLogInline]
    # What the workflow sets, shown but never editable here.
    workflow_fields = [
        "status_badge",
        "placement",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "submitted_at",
        "approved_at",
        "published_at",
    ]
    readonly_fields = ["char_count", *workflow_fields]

    class Media:
        css = ADMIN_CSS
        js = ["newsroom/tag-suggestions.js"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search.parse(search_term)
        if query.problem:
            self.message_user(request, query.problem, messages.INFO)
        # Results come by relevance unless a column was chosen to sort by.
        return search.search(queryset, query, by_rank=ORDER_VAR not in request.GET), False

    def get_inlines(self, request, obj):
        if obj is None:  # nothing to log or correct yet
            return [BylineInline, ArticlePhotoInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["kind", "section", "kicker", "headline", "subheadline"]}),
            (_("Copy"), {"fields": ["source", "body", "char_count", "summary", "tags"]}),
        ]
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            fieldsets.append((_("Correction"), {"fields": ["correction"]}))
        fieldsets.append((_("Workflow"), {"fields": ["base_version", *self.workflow_fields]}))
        return fieldsets

    def get_queryset(self, request):
        # The search document is the largest thing in a row and nothing here
        # shows it; a form save then leaves it alone too (search.index_article
        # rebuilds it after the save).
        queryset = (
            super()
            .get_queryset(request)
            .defer("search_vector", "search_title", "search_text")
            .prefetch_related("bylines__person")
        )
        return workflow.visible_to(request.user, queryset)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change:
            obj.created_by = request.user
        else:
            # The version checked in the UPDATE itself: of two saves from the
            # same form state, only one can win.
            expected = form.cleaned_data["base_version"]
            won = Article.objects.filter(pk=obj.pk, version=expected).update(
                version=F("version") + 1
            )
            if not won:
                raise PermissionDenied(form.stale_message())
            obj.version = expected + 1
            if form.needs_correction():
                workflow.correct(obj, user=request.user, note=form.cleaned_data["correction"])
            if obj.status == Article.Status.PUBLISHED:
                # The lists it leaves (another section, a tag taken off) are
                # named by what it shows before the save.
                obj.keys_before_save = article_keys([obj.pk])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record(form.instance, user=request.user)
        search.index_article(form.instance)
        if form.instance.status == Article.Status.PUBLISHED:
            keys = getattr(form.instance, "keys_before_save", ())
            content_changed(articles=[form.instance], keys=keys)

    # --- the workflow panel -------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/workflow/",
                view(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.update(self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, obj):
        user = request.user
        transitions = workflow.allowed_transitions(user, obj)
        may_place = user.has_perm(workflow.PERM_DESK) and obj.status == Article.Status.APPROVED
        pages = []
        if may_place:
            pages = Page.objects.filter(edition__status=Edition.Status.PLANNING).select_related(
                "edition"
            )
        suggestions = []
        if workflow.can_edit(user, obj):
            names = [byline.person.name for byline in obj.bylines.all()]
            current = set(obj.tags.names())
            suggestions = [
                tag
                for tag in suggest_tags(obj.headline, obj.body, exclude=names)
                if tag not in current
            ]
        return {
            "tag_suggestions": suggestions,
            "workflow_transitions": transitions,
            "workflow_status": status_badge(obj.status, obj.get_status_display()),
            "workflow_return": workflow.last_return(obj) if obj.status == "returned" else None,
            "workflow_pages": pages,
            "workflow_may_place": may_place,
            "workflow_may_unplace": (
                user.has_perm(workflow.PERM_DESK)
                and obj.page_id is not None
                and obj.page.edition.status == Edition.Status.PLANNING
            ),
            "workflow_may_see_revisions": user.has_perm("articles.view_revision"),
        }

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        action = request.POST.get("action", "")
        try:
            if action == "place":
                page = get_object_or_404(Page, pk=request.POST.get("page") or 0)
                position = request.POST.get("position", "")
                position = int(position) if position.isdigit() and int(position) > 0 else None
                workflow.place(article, user=request.user, page=page, position=position)
                message = gettext("Placed on %(page)s.") % {"page": page}
            elif action == "unplace":
                workflow.unplace(article, user=request.user)
                message = gettext("Taken off the page.")
            else:
                article = workflow.transition(
                    article, action, user=request.user, note=request.POST.get("note", "")
                )
                message = gettext("Done: the article is now %(status)s.") % {
                    "status": article.get_status_display()
                }
        except workflow.TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        if self.has_view_or_change_permission(request, article):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def revisions_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm("articles.view_revision"):
            raise PermissionDenied
        history = list(article.revisions.select_related("created_by").order_by("number"))
        rows, previous = [], None
        for revision in history:
            rows.append(
                {
                    "revision": revision,
                    "changes": diff.changes(previous, revision.content),
                }
            )
            previous = revision.content
        rows.reverse()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": gettext("Revisions of “%(article)s”") % {"article": article},
            "rows": rows,
            "may_restore": workflow.can_edit(request.user, article),
            "needs_correction": article.status == Article.Status.PUBLISHED,
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        try:
            revisions.restore(
                revision, user=request.user, correction=request.POST.get("correction", "")
            )
        except workflow.TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[article.pk])
            )
        self.message_user(
            request,
            gettext("Revision %(number)s restored as a new revision.") % {"number": number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
