"""发稿统计 and 稿费: who sees whose figures, who sets the rules, adjusts, approves.

Each person sees their own figures and fee statement; a desk head
(部门主任) also everything of the sections they head (Section.desk_heads,
set by the chief editor) and adjusts those sections' fee lines with a
reason while the month is open; the chief editor sees everyone's, sets the
rules, and approves a month, which locks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from articles.ledger.models import FeeMonth
from articles.ledger.statistics import Scope
from articles.models import Section

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from articles.ledger.models import FeeLine
    from articles.permissions.base import AnyUser
    from people.models import Person

PERM_ALL = "articles.view_all_statistics"
PERM_ADJUST = "articles.adjust_feeline"
PERM_APPROVE = "articles.approve_feemonth"
PERM_RULES = "articles.change_feerules"


def _person_id(user: AnyUser) -> int | None:
    person: Person | None = getattr(user, "person", None) if user.is_authenticated else None
    return person.pk if person is not None else None


def statistics_scope(user: AnyUser) -> Scope:
    """Return the Scope of figures and fee lines user sees."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Scope()
    if user.is_superuser or user.has_perm(PERM_ALL):
        return Scope(everyone=True, person_id=_person_id(user))
    person_id = _person_id(user)
    sections: frozenset[int] = frozenset()
    if person_id is not None and user.has_perm(PERM_ADJUST):
        sections = frozenset(
            Section.objects.filter(desk_heads=person_id).values_list("pk", flat=True)
        )
    return Scope(sections=sections, person_id=person_id)


def may_see_statistics(user: AnyUser) -> bool:
    scope = statistics_scope(user)
    return scope.everyone or bool(scope.sections) or scope.person_id is not None


def visible_fee_lines(user: AnyUser, queryset: QuerySet[FeeLine]) -> QuerySet[FeeLine]:
    """Return the fee lines of queryset user may see: all, their sections' and their own."""
    scope = statistics_scope(user)
    if scope.everyone:
        return queryset
    condition = Q(section__in=scope.sections) if scope.sections else Q(pk__in=[])
    if scope.person_id is not None:
        condition |= Q(person=scope.person_id)
    return queryset.filter(condition)


def why_not_set_fee_rules(user: AnyUser) -> str | None:
    if not user.has_perm(PERM_RULES):
        return _("The fee rules are set by the chief editor.")
    return None


def may_see_fee_rules(user: AnyUser) -> bool:
    return user.has_perm("articles.view_feerules") or user.has_perm(PERM_RULES)


def why_not_assign_desk_heads(user: AnyUser) -> str | None:
    """Return why user may not say who heads a section's desk, or None (the chief's call)."""
    if not user.has_perm(PERM_RULES):
        return _("The chief editor says who heads a section's desk.")
    return None


def why_not_compute_fee_month(user: AnyUser, month: FeeMonth | None) -> str | None:
    """Return why user may not compute (again) the lines of month, or None."""
    if not (user.has_perm(PERM_ADJUST) or user.has_perm(PERM_APPROVE)):
        return _("A month's fees are computed by the desk heads and the chief editor.")
    if month is not None and month.status == FeeMonth.Status.LOCKED:
        return _("%(month)s is approved and locked: its fees are the record now.") % {
            "month": month
        }
    return None


def why_not_adjust_fee_line(user: AnyUser, line: FeeLine) -> str | None:
    """Return why user may not adjust line (a desk head, of a section they head, while open)."""
    if not user.has_perm(PERM_ADJUST):
        return _("Fee lines are adjusted by the desk heads.")
    if line.month.status == FeeMonth.Status.LOCKED:
        return _("%(month)s is approved and locked: its fees are the record now.") % {
            "month": line.month
        }
    scope = statistics_scope(user)
    if not (scope.everyone or line.section_id in scope.sections):
        return _("You adjust the fees of the sections you head only.")
    return None


def why_not_approve_fee_month(user: AnyUser, month: FeeMonth) -> str | None:
    if not user.has_perm(PERM_APPROVE):
        return _("A month's fees are approved by the chief editor.")
    if month.status == FeeMonth.Status.LOCKED:
        return _("%(month)s is approved and locked already.") % {"month": month}
    return None
