"""发稿统计 and 稿费 in the admin: the statistics with their trend charts, each month's fees,
adjusting a line, approving a month, the Excel file, and the chief editor's rules.

Every page shows what articles.permissions.statistics_scope lets the viewer
see: everyone's (the chief editor), the sections one heads (a desk head), or
one's own (everyone else: a correspondent's month is their statement).
Writes go through articles.services.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions, services
from articles.ledger import charts, export, fees, statistics
from articles.ledger.models import ZERO, FeeAdjustment, FeeLine, FeeMonth, FeeRules, KindRate
from articles.models import Byline, Section
from newsroom.writepath import WritePathAdmin, kept_rows

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
TREND_MONTHS = 6


def parse_month(value: str | None, default: datetime.date | None) -> datetime.date | None:
    """A month typed as YYYY-MM (a month input's value), or default."""
    match = MONTH.match((value or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    return default


def this_month() -> datetime.date:
    return fees.first_of(timezone.localdate())


# --- the rules ---------------------------------------------------------------------------


class KindRateInline(admin.TabularInline):
    """The rates, part of the rules: seen and changed as the rules are."""

    model = KindRate
    fields = ["kind", "per_thousand", "minimum"]
    extra = 0

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_fee_rules(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.why_not_set_fee_rules(request.user) is None

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(FeeRules)
class FeeRulesAdmin(WritePathAdmin):
    """The chief editor's rules: one page (the list opens it)."""

    fields = ["per_photo", "front_page_multiplier", "lead_multiplier", "sharing"]
    inlines = [KindRateInline]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="articles_feerules_changelist"),
            path(
                "<path:object_id>/history/",
                view(self.history_view),
                name="articles_feerules_history",
            ),
            path(
                "<path:object_id>/change/", view(self.change_view), name="articles_feerules_change"
            ),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rules = FeeRules.objects.order_by("pk").first()
        if rules is None:
            raise Http404(gettext("No fee rules are set up."))
        return HttpResponseRedirect(reverse("admin:articles_feerules_change", args=[rules.pk]))

    def has_module_permission(self, request):
        return permissions.may_see_fee_rules(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_fee_rules(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return permissions.why_not_set_fee_rules(request.user) is None

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, obj, form, formsets):
        rates = formsets.get(KindRate)
        services.save_fee_rules(
            obj,
            user=request.user,
            rates=None
            if rates is None
            else [services.FeeRate(r.kind, r.per_thousand, r.minimum) for r in kept_rows(rates)],
            base_version=self.base_version(form),
        )


# --- the months, the statistics ----------------------------------------------------------


class AdjustForm(forms.Form):
    amount = forms.DecimalField(label=_("adjustment (yuan)"), max_digits=9, decimal_places=2)
    reason = forms.CharField(label=_("reason"), max_length=200)


@admin.register(FeeMonth)
class FeeMonthAdmin(admin.ModelAdmin):
    """Each month's 稿费 and the statistics; everyone sees theirs, the chief everyone's."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="articles_feemonth_changelist"),
            path("statistics/", view(self.statistics_view), name="articles_feemonth_statistics"),
            path("compute/", view(self.compute_view), name="articles_feemonth_compute"),
            path("<int:pk>/", view(self.detail_view), name="articles_feemonth_detail"),
            path("<int:pk>/approve/", view(self.approve_view), name="articles_feemonth_approve"),
            path("<int:pk>/export/", view(self.export_view), name="articles_feemonth_export"),
            path("lines/<int:pk>/adjust/", view(self.adjust_view), name="articles_feemonth_adjust"),
        ]

    def has_module_permission(self, request):
        return permissions.may_see_statistics(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_statistics(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def _lines(self, request, month):
        lines = permissions.visible_fee_lines(request.user, month.lines.all())
        return list(
            lines.select_related("section").prefetch_related(
                Prefetch(
                    "adjustments",
                    queryset=FeeAdjustment.objects.select_related("created_by__person"),
                )
            )
        )

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        months = list(FeeMonth.objects.order_by("-month"))
        visible = permissions.visible_fee_lines(request.user, FeeLine.objects.all())
        amounts = dict(
            visible.values("month").annotate(total=Sum("amount")).values_list("month", "total")
        )
        adjusted = dict(
            FeeAdjustment.objects.filter(line__in=visible)
            .values("line__month")
            .annotate(total=Sum("amount"))
            .values_list("line__month", "total")
        )
        rows = [
            {"month": m, "total": (amounts.get(m.pk) or ZERO) + (adjusted.get(m.pk) or ZERO)}
            for m in months
        ]
        return TemplateResponse(
            request,
            "admin/articles/feemonth/change_list.html",
            self._context(
                request,
                gettext("Fees by month (稿费)"),
                rows=rows,
                may_compute=permissions.why_not_compute_fee_month(request.user, None) is None,
                this_month=this_month(),
                may_see_rules=permissions.may_see_fee_rules(request.user),
            ),
        )

    def compute_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        month = parse_month(request.POST.get("month"), None)
        if month is None:
            self.message_user(request, gettext("Choose a month, as 2026-11."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_feemonth_changelist"))
        try:
            fee_month = services.compute_fee_month(month, user=request.user)
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            existing = FeeMonth.objects.filter(month=month).first()
            if existing is not None and self.has_view_permission(request):
                return HttpResponseRedirect(
                    reverse("admin:articles_feemonth_detail", args=[existing.pk])
                )
            return HttpResponseRedirect(reverse("admin:articles_feemonth_changelist"))
        self.message_user(
            request,
            gettext("%(month)s computed from the record: %(count)s lines.")
            % {"month": fee_month, "count": fee_month.lines.count()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_feemonth_detail", args=[fee_month.pk]))

    def detail_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        month = get_object_or_404(FeeMonth, pk=pk)
        lines = self._lines(request, month)
        user = request.user
        rows, people = [], {}
        for line in lines:
            amount = fees.payable(line)
            rows.append(
                {
                    "line": line,
                    "amount": amount,
                    "remarks": export.remarks(line),
                    "page": export.page_label(line),
                    "may_adjust": permissions.why_not_adjust_fee_line(user, line) is None,
                }
            )
            person = people.setdefault(
                line.person_name,
                {"name": line.person_name, "unit": export.unit(line), "amount": ZERO},
            )
            person["amount"] += amount
        return TemplateResponse(
            request,
            "admin/articles/feemonth/detail.html",
            self._context(
                request,
                gettext("Fees of %(month)s") % {"month": month},
                month=month,
                rows=rows,
                people=sorted(people.values(), key=lambda p: p["name"]),
                total=export.total_of(lines),
                may_compute=permissions.why_not_compute_fee_month(user, month) is None,
                may_approve=permissions.why_not_approve_fee_month(user, month) is None,
                adjust_form=AdjustForm(),
            ),
        )

    def adjust_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        line = get_object_or_404(
            permissions.visible_fee_lines(request.user, FeeLine.objects.select_related("month")),
            pk=pk,
        )
        form = AdjustForm(request.POST)
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
            self.message_user(request, " ".join(problems), messages.ERROR)
        else:
            try:
                services.adjust_fee_line(
                    line,
                    user=request.user,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                )
            except permissions.Refused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(name)s's line for “%(piece)s” adjusted; the reason is on record.")
                    % {"name": line.person_name, "piece": line.headline},
                    messages.SUCCESS,
                )
        url = reverse("admin:articles_feemonth_detail", args=[line.month_id])
        return HttpResponseRedirect(f"{url}#line-{line.pk}")

    def approve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        month = get_object_or_404(FeeMonth, pk=pk)
        try:
            services.approve_fee_month(month, user=request.user)
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("%(month)s approved and locked: its fees are the record now.")
                % {"month": month},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_feemonth_detail", args=[month.pk]))

    def export_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        month = get_object_or_404(FeeMonth, pk=pk)
        lines = self._lines(request, month)
        scope = permissions.statistics_scope(request.user)
        whose = "" if scope.everyone else (getattr(request.user, "person", None) or request.user)
        state = "已审批" if month.is_locked else "未审批"
        title = (
            f"{settings.NEWSPAPER_NAME} {month}稿费（{state}）{' ' + str(whose) if whose else ''}"
        )
        response = HttpResponse(
            export.workbook(lines, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="fees-{month.month:%Y-%m}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response

    def statistics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        user, query = request.user, request.GET
        scope = permissions.statistics_scope(user)
        last = parse_month(query.get("to"), this_month())
        first = parse_month(query.get("from"), last)
        if first == last and "from" not in query:
            for _month in range(TREND_MONTHS - 1):
                first = fees.first_of(first - datetime.timedelta(days=1))
        if first > last:
            first, last = last, first
        sections = Section.objects.order_by("position", "name")
        if not scope.everyone:
            sections = sections.filter(pk__in=scope.sections)
        sections = list(sections)
        section = next((s for s in sections if str(s.pk) == query.get("section")), None)
        roles = Byline.Role
        role = query.get("role") if query.get("role") in roles.values else None
        figures = statistics.report(
            first, last, scope=scope, section=section.pk if section else None, role=role
        )
        labels = [f"{m.year}-{m.month:02d}" for m in figures.months]

        def series(rows):
            return [
                (
                    row.name,
                    [
                        row.months[m].count("print") if m in row.months else 0
                        for m in figures.months
                    ],
                )
                for row in rows
            ]

        columns = [label for _name, label in statistics.COLUMNS]
        return TemplateResponse(
            request,
            "admin/articles/feemonth/statistics.html",
            self._context(
                request,
                gettext("Statistics (发稿统计)"),
                first=first,
                last=last,
                sections=sections,
                section=section,
                roles=roles.choices,
                role=role,
                columns=columns,
                people=[(row, row.total.values()) for row in figures.people],
                section_rows=[(row, row.total.values()) for row in figures.sections],
                total=figures.total.values(),
                scope=scope,
                people_chart=charts.trend(
                    gettext("Pieces in print per month, by person"),
                    labels,
                    series(figures.people),
                    "nr-chart-people",
                ),
                sections_chart=charts.trend(
                    gettext("Pieces in print per month, by section"),
                    labels,
                    series(figures.sections),
                    "nr-chart-sections",
                )
                if scope.sees_sections
                else None,
            ),
        )
