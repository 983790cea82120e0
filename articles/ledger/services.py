"""The write path of 稿费: the rules, a month's lines, adjustments, approval (the lock).

Computing an open month writes its lines from the record (articles.ledger.fees):
lines are matched by key, so a line keeps its adjustments however often the
month is computed again; a line whose piece left the month (taken off the
print edition before the lock) is kept at nothing while it has adjustments.
Approving computes the month a last time and locks it: from then on nothing
writes its lines, and what changes later is carried into the next open month.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.ledger import fees
from articles.ledger.models import ZERO, FeeAdjustment, FeeLine, FeeMonth, FeeRules, KindRate
from articles.models import Article
from articles.permissions import Refused, refuse_unless
from articles.versions import bump, check_version

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ADJUSTMENT_LIMIT = Decimal("100000")
RATE_LIMIT = Decimal("100000")
MULTIPLIER_RANGE = (Decimal("1"), Decimal("10"))


class Rate(NamedTuple):
    """A 体裁's rate per 千字 and minimum per piece, in yuan."""

    kind: str
    per_thousand: Decimal
    minimum: Decimal


def as_money(value: object, field: str) -> Decimal:
    """value as yuan to the fen, or a refusal naming field: never a float."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Refused(
            _("“%(value)s” is not an amount in yuan.") % {"value": value}, field
        ) from None
    if not amount.is_finite():
        raise Refused(_("“%(value)s” is not an amount in yuan.") % {"value": value}, field)
    if amount != amount.quantize(fees.FEN):
        raise Refused(_("Amounts are in yuan to the fen: two decimals at most."), field)
    return amount.quantize(fees.FEN)


def save_fee_rules(
    rules: FeeRules,
    *,
    user: User,
    rates: list[Rate] | None = None,
    base_version: int | str | None = None,
) -> FeeRules:
    """Save the chief editor's rules (and, when given, the rate of each kind)."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_set_fee_rules(user))
        if rules.pk is not None:
            current = FeeRules.objects.select_for_update().get(pk=rules.pk)
            check_version(current, base_version)
            rules.version = current.version
        per_photo = as_money(rules.per_photo, "per_photo")
        if not ZERO <= per_photo <= RATE_LIMIT:
            raise Refused(_("The fee per photo is between 0 and 100,000 yuan."), "per_photo")
        low, high = MULTIPLIER_RANGE
        for name in ("front_page_multiplier", "lead_multiplier"):
            value = getattr(rules, name)
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                value = Decimal("NaN")
            if not (value.is_finite() and low <= value <= high):
                raise Refused(_("A multiplier is between 1 and 10."), name)
        if rules.sharing not in FeeRules.Sharing.values:
            raise Refused(_("Choose how several bylines share a fee."), "sharing")
        rules.per_photo, rules.updated_by = per_photo, user
        changed = rules.pk is not None
        rules.save()
        if changed:
            bump(FeeRules, rules)
        if rates is not None:
            seen: set[str] = set()
            for rate in rates:
                if rate.kind not in Article.Kind.values or rate.kind in seen:
                    raise Refused(_("Give each kind of copy one rate."))
                seen.add(rate.kind)
                per_thousand = as_money(rate.per_thousand, "rates")
                minimum = as_money(rate.minimum, "rates")
                if not (ZERO <= per_thousand <= RATE_LIMIT and ZERO <= minimum <= RATE_LIMIT):
                    raise Refused(_("Rates are between 0 and 100,000 yuan."), "rates")
                KindRate.objects.update_or_create(
                    rules=rules,
                    kind=rate.kind,
                    defaults={"per_thousand": per_thousand, "minimum": minimum},
                )
            rules.rates.exclude(kind__in=seen).delete()
        return rules


def _write_lines(month: FeeMonth, wanted: list[dict[str, Any]]) -> None:
    current = {line.key: line for line in month.lines.prefetch_related("adjustments")}
    keys: set[str] = set()
    for values in wanted:
        key = values["key"]
        keys.add(key)
        line = current.get(key) or FeeLine(month=month, key=key)
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
    for key, line in current.items():
        if key in keys:
            continue
        if line.adjustments.all():
            # Adjusted, then gone from the month: kept, at nothing, with its adjustments.
            line.amount, line.is_void = ZERO, True
            line.note = _("no longer in this month's print editions")[:200]
            line.save(update_fields=["amount", "is_void", "note"])
        else:
            line.delete()


def compute_fee_month(month_date: datetime.date, *, user: User) -> FeeMonth:
    """Compute (again) the lines of an open month from the record and the current rules."""
    first = fees.first_of(month_date)
    with transaction.atomic():
        month = FeeMonth.objects.select_for_update().filter(month=first).first()
        refuse_unless(permissions.why_not_compute_fee_month(user, month))
        if month is None:
            month = FeeMonth.objects.create(month=first)
        rules = fees.Rules.current()
        _write_lines(month, fees.computed_lines(first, rules) + fees.carry_lines(first))
        FeeMonth.objects.filter(pk=month.pk).update(
            computed_at=timezone.now(), computed_by=user, version=F("version") + 1
        )
        month.refresh_from_db()
        return month


def adjust_fee_line(line: FeeLine, *, user: User, amount: object, reason: str) -> FeeAdjustment:
    """Add amount (yuan, signed) to line, with the reason: an adjustment row of its own."""
    reason = reason.strip()
    with transaction.atomic():
        FeeMonth.objects.select_for_update().get(pk=line.month_id)
        line = FeeLine.objects.select_related("month").get(pk=line.pk)
        refuse_unless(permissions.why_not_adjust_fee_line(user, line))
        value = as_money(amount, "amount")
        if value == ZERO:
            raise Refused(_("An adjustment of nothing changes nothing."), "amount")
        if abs(value) > ADJUSTMENT_LIMIT:
            raise Refused(_("An adjustment is at most 100,000 yuan either way."), "amount")
        if fees.payable(line) + value < ZERO:
            raise Refused(_("A line cannot pay less than nothing."), "amount")
        if not reason:
            raise Refused(
                _("Say why the line is adjusted: the reason is kept on record."), "reason"
            )
        if len(reason) > 200:
            raise Refused(_("The reason is at most 200 characters long."), "reason")
        return FeeAdjustment.objects.create(line=line, amount=value, reason=reason, created_by=user)


def approve_fee_month(month: FeeMonth, *, user: User) -> FeeMonth:
    """Compute the month a last time and lock it: its lines are the record from now on."""
    with transaction.atomic():
        locked = FeeMonth.objects.select_for_update().get(pk=month.pk)
        refuse_unless(permissions.why_not_approve_fee_month(user, locked))
        _write_lines(
            locked,
            fees.computed_lines(locked.month, fees.Rules.current())
            + fees.carry_lines(locked.month),
        )
        now = timezone.now()
        FeeMonth.objects.filter(pk=locked.pk).update(
            status=FeeMonth.Status.LOCKED,
            computed_at=now,
            computed_by=user,
            locked_at=now,
            locked_by=user,
            version=F("version") + 1,
        )
        locked.refresh_from_db()
        return locked
