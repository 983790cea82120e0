import datetime

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as BaseTagAdmin
from taggit.models import Tag

from media.admin import PhotoAdmin as BasePhotoAdmin
from media.models import Photo
from people.admin import PersonAdmin as BasePersonAdmin
from people.models import Person

from . import revisions, search, workflow
from .changes import printed_content_changed
from .forms import ArticleAdminForm
from .models import (
    Article,
    ArticlePhoto,
    Byline,
    Correction,
    DeskQueue,
    Edition,
    Page,
    Section,
    TransitionLog,
)
from .publiccache import public_content_changed
from .queries import public_people
from .tagging import suggest_tags

ADMIN_CSS = {"all": ["newsroom/admin.css"]}


def status_badge(status, label):
    return format_html('<span class="nr-badge nr-badge--{}">{}</span>', status, label)


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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


class EditionFilter(admin.SimpleListFilter):
    """The latest editions only: three years of dailies would not fit a sidebar."""

    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        return [(str(e.pk), str(e)) for e in Edition.objects.order_by("-date")[:14]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(page__edition_id=self.value())
        return queryset


class InputFilter(admin.SimpleListFilter):
    """A sidebar filter with a text box, for values too many to list."""

    template = "admin/articles/input_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        # Keep every other filter and the search when this one is submitted.
        yield {
            "others": [
                (key, value)
                for key, value in changelist.params.items()
                if key not in self.expected_parameters()
            ],
        }


class PersonFilter(InputFilter):
    title = _("person")
    parameter_name = "person"

    def queryset(self, request, queryset):
        if self.value():
            bylined = Byline.objects.filter(
                article=OuterRef("pk"), person__name__icontains=self.value().strip()
            )
            return queryset.filter(Exists(bylined))
        return queryset


class TagFilter(InputFilter):
    title = _("tag")
    parameter_name = "tag"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__name=self.value().strip())
        return queryset


class EditionDateFilter(InputFilter):
    """Edition date range: 2022-02-01..2022-02-28, or a single date."""

    title = _("edition dates")
    parameter_name = "edition_dates"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        first, _sep, last = value.partition("..")
        try:
            start = datetime.date.fromisoformat(first.strip())
            end = datetime.date.fromisoformat(last.strip()) if last.strip() else start
        except ValueError:
            messages.warning(request, gettext("Write edition dates as 2022-02-01..2022-02-28."))
            return queryset
        return queryset.filter(page__edition__date__range=(start, end))


class ArticleListMixin:
    """Columns shared by the article list and the desk queue."""

    def view_on_site(self, obj):
        # "View on site" opens the staff preview: it shows copy in any state.
        return reverse("articles:preview", args=[obj.pk])

    @admin.display(description=_("headline"), ordering="headline")
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("edition / page"), ordering="page__edition__date")
    def placement(self, obj):
        if obj.page is None:
            return "—"
        return format_html(
            "{} {}",
            obj.page.edition.date.isoformat(),
            gettext("Page %(number)s") % {"number": obj.page.number},
        )

    @admin.display(description=_("filed by"))
    def filed_by(self, obj):
        names = [b.person.name for b in obj.bylines.all()]
        if names:
            return " ".join(names)
        return obj.created_by.get_username() if obj.created_by else "—"


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
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record(form.instance, user=request.user)
        search.index_article(form.instance)
        if form.instance.status == Article.Status.PUBLISHED:
            public_content_changed()

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
                    "changes": revisions.changes(previous, revision.content),
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


@admin.register(DeskQueue)
class DeskQueueAdmin(ArticleListMixin, admin.ModelAdmin):
    """Submitted copy, oldest first: what the desk should read next."""

    list_display = ["desk_title", "filed_by", "submitted_at", "char_count", "section", "placement"]
    list_display_links = None
    list_select_related = ["page__edition", "section", "created_by"]
    list_filter = ["section", "kind"]
    search_fields = ["headline", "bylines__person__name"]
    ordering = ["submitted_at", "pk"]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.SUBMITTED)
            .prefetch_related("bylines__person")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("headline"), ordering="headline")
    def desk_title(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "slug"} & set(form.changed_data):
            printed_content_changed(obj.articles.all())


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
            "admin/articles/edition/page_plan.html", {"pages": workflow.edition_pages(obj)}
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
        pages = workflow.edition_pages(edition)
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
            article = Article.objects.filter(pk=post["article"]).first()
        try:
            if action in {"place", "up", "down", "unplace"} and article is None:
                raise workflow.TransitionRefused(gettext("That article no longer exists."))
            if action == "place":
                page = get_object_or_404(Page, pk=post.get("page") or 0, edition=edition)
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
                at = parse_datetime(post.get("at", ""))
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


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The audit trail of the workflow, read-only."""

    list_display = ["at", "actor", "action", "subject", "from_status", "to_status", "note"]
    list_filter = ["action", "to_status"]
    list_select_related = ["actor", "article", "edition"]
    search_fields = ["article__headline", "note", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.article or obj.edition


class PersonBylineInline(ReadOnlyInline):
    """A person's credited work, shown on their page in the admin."""

    model = Byline
    fields = ["article_link", "role", "status", "edition_date"]
    readonly_fields = fields
    verbose_name = _("credited article")
    verbose_name_plural = _("credited articles")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article__page__edition")
            .order_by("-article__created_at")
        )

    @admin.display(description=_("article"))
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.article.get_status_display()

    @admin.display(description=_("edition"))
    def edition_date(self, obj):
        return obj.article.page.edition.date if obj.article.page else "—"


class PhotoUseInline(admin.TabularInline):
    """Attach a photo to articles from the photo's own page (the photographer's way)."""

    model = ArticlePhoto
    fk_name = "photo"
    autocomplete_fields = ["article"]
    fields = ["article", "caption", "position"]
    extra = 0
    verbose_name = _("use in an article")
    verbose_name_plural = _("used in articles")


# people, media and taggit never import articles; articles extends their admin
# pages with what concerns articles.
admin.site.unregister(Person)
admin.site.unregister(Photo)
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(BaseTagAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "slug"} & set(form.changed_data):
            printed_content_changed(Article.objects.filter(tags=obj))


@admin.register(Person)
class PersonAdmin(BasePersonAdmin):
    inlines = [*BasePersonAdmin.inlines, PersonBylineInline]

    def view_on_site(self, obj):
        # A person has a public page once some of their work is published.
        return obj.get_absolute_url() if public_people().filter(pk=obj.pk).exists() else None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            printed_content_changed(Article.objects.filter(bylines__person=obj))


@admin.register(Photo)
class PhotoAdmin(BasePhotoAdmin):
    inlines = [*BasePhotoAdmin.inlines, PhotoUseInline]

    def get_inlines(self, request, obj):
        # A photo is attached to articles once it exists.
        return self.inlines if obj is not None else BasePhotoAdmin.inlines

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.has_perm(workflow.PERM_EDIT_ANY):
            return allowed
        # Photographers change their own pictures: uploaded by them or credited.
        user = request.user
        return obj.created_by_id == user.pk or obj.credits.filter(person__user=user).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Captions, alt text and credits are printed with the articles using the photo.
        printed_content_changed(Article.objects.filter(article_photos__photo=form.instance))
