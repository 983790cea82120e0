"""稿费: a month's lines from the record, by the chief editor's rules; what changed after a lock.

Every amount is a Decimal in yuan, rounded to the fen (half up) once per
step: the piece's fee (the rate per 千字 times its 字数, at least the
minimum), times its multiplier (头版, 头条), shared among its paid bylines
(equally, the odd fen to the first named, or the whole to each). A photo is
paid per photo, shared among its photographers. Pieces are those published
in print in the month (the transition log's publish_with_edition); copy
withdrawn since is listed at nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.ledger.models import ZERO, FeeLine, FeeMonth, FeeRules
from articles.models import Article, ArticlePhoto, Byline, TransitionLog
from media.models import PhotoCredit

FEN = Decimal("0.01")
# Who is paid for the text: not the photographers (paid per photo) nor the editors.
PAID_ROLES = (
    Byline.Role.REPORTER,
    Byline.Role.CORRESPONDENT,
    Byline.Role.AUTHOR,
    Byline.Role.INTERN,
)
S = Article.Status
K = FeeLine.Kind


def money(value: Decimal) -> Decimal:
    """value rounded to the fen, half up."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def first_of(date: datetime.date) -> datetime.date:
    return date.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def bounds(month: datetime.date, months: int = 1) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of months months from month, in the paper's time zone."""
    end = month
    for _month in range(months):
        end = next_month(end)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(month, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(end, datetime.time(), tzinfo=zone),
    )


def month_of(moment: datetime.datetime) -> datetime.date:
    return first_of(timezone.localtime(moment).date())


@dataclass(frozen=True)
class Rules:
    """The chief editor's rules as they stood when a month was computed."""

    rates: dict  # kind -> (per_thousand, minimum)
    per_photo: Decimal
    front_page: Decimal
    lead: Decimal
    sharing: str

    @classmethod
    def current(cls) -> Rules:
        row = FeeRules.objects.prefetch_related("rates").order_by("pk").first()
        if row is None:
            return cls({}, ZERO, Decimal(1), Decimal(1), FeeRules.Sharing.EQUAL)
        return cls(
            {rate.kind: (rate.per_thousand, rate.minimum) for rate in row.rates.all()},
            row.per_photo,
            row.front_page_multiplier,
            row.lead_multiplier,
            row.sharing,
        )


def piece_fee(chars: int, per_thousand: Decimal, minimum: Decimal, multiplier: Decimal) -> Decimal:
    """A piece's fee: its 字数 at the rate per 千字 (at least the minimum), times its multiplier."""
    base = max(minimum, money(per_thousand * chars / 1000))
    return money(base * multiplier)


def multiplier_of(page_number: int | None, position: int | None, rules: Rules) -> Decimal:
    factor = Decimal(1)
    if page_number == 1:
        factor *= rules.front_page
    if position == 1:
        factor *= rules.lead
    return factor


def shares(amount: Decimal, count: int, sharing: str) -> list[Decimal]:
    """amount for each of count people: equal shares to the fen, the odd fen to the first."""
    if count <= 0:
        return []
    if sharing == FeeRules.Sharing.EACH:
        return [amount] * count
    each = (amount / count).quantize(FEN, rounding=ROUND_DOWN)
    odd = int((amount - each * count) / FEN)
    return [each + (FEN if index < odd else ZERO) for index in range(count)]


def _multiplier_note(page_number, position, rules, count, sharing) -> str:
    parts = []
    if page_number == 1:
        parts.append(_("front page ×%(factor)s") % {"factor": rules.front_page})
    if position == 1:
        parts.append(_("lead ×%(factor)s") % {"factor": rules.lead})
    if count > 1 and sharing == FeeRules.Sharing.EQUAL:
        parts.append(_("shared by %(count)s") % {"count": count})
    return "；".join(parts)


def _person_facts(person) -> dict:
    return {
        "person": person,
        "person_name": person.name,
        "organization": person.organization,
    }


def printed_in(month: datetime.date):
    """The copy published in print in month, each with when (its first such log entry)."""
    start, end = bounds(month)
    logs = TransitionLog.objects.filter(
        action="publish_with_edition", at__gte=start, at__lt=end, article__isnull=False
    ).order_by("at", "pk")
    when: dict[int, datetime.datetime] = {}
    for article_id, at in logs.values_list("article_id", "at"):
        when.setdefault(article_id, at)
    articles = (
        Article.objects.filter(pk__in=when)
        .select_related("page__edition", "section")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            Prefetch(
                "article_photos",
                queryset=ArticlePhoto.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "photo__credits",
                        queryset=PhotoCredit.objects.select_related("person").order_by(
                            "position", "pk"
                        ),
                    )
                ),
            ),
        )
        .order_by("pk")
    )
    return [(article, when[article.pk]) for article in articles]


def computed_lines(month: datetime.date, rules: Rules) -> list[dict]:
    """Every text and photo line of month, as field values of FeeLine (keyed)."""
    lines = []
    for article, at in printed_in(month):
        page = article.page
        facts = {
            "kind": K.TEXT,
            "article": article,
            "section": article.section,
            "headline": str(article)[:200],
            "published_on": timezone.localtime(at).date(),
            "page_number": page.number if page else None,
            "position": article.position if page else None,
            "article_kind": article.kind,
            "chars": article.char_count,
        }
        withdrawn = article.status == S.WITHDRAWN
        void = {"is_void": True, "note": _("withdrawn")} if withdrawn else {}
        per_thousand, minimum = rules.rates.get(article.kind, (ZERO, ZERO))
        factor = multiplier_of(facts["page_number"], facts["position"], rules)
        piece = piece_fee(article.char_count, per_thousand, minimum, factor)
        paid = list(dict.fromkeys(b.person for b in article.bylines.all() if b.role in PAID_ROLES))
        if piece > ZERO:
            note = _multiplier_note(
                facts["page_number"], facts["position"], rules, len(paid), rules.sharing
            )
            for person, amount in zip(paid, shares(piece, len(paid), rules.sharing), strict=True):
                lines.append(
                    {
                        **facts,
                        **_person_facts(person),
                        "key": f"text:{article.pk}:{person.pk}",
                        "per_thousand": per_thousand,
                        "minimum": minimum,
                        "multiplier": factor,
                        "share_of": len(paid) if rules.sharing == FeeRules.Sharing.EQUAL else 1,
                        "piece_amount": piece,
                        "amount": ZERO if withdrawn else amount,
                        "is_void": False,
                        "note": note,
                        **void,
                    }
                )
        for number, use in enumerate(article.article_photos.all(), start=1):
            takers = list(dict.fromkeys(credit.person for credit in use.photo.credits.all()))
            for person, amount in zip(
                takers, shares(rules.per_photo, len(takers), rules.sharing), strict=True
            ):
                note = _("photo %(number)s") % {"number": number}
                if len(takers) > 1 and rules.sharing == FeeRules.Sharing.EQUAL:
                    note += "；" + _("shared by %(count)s") % {"count": len(takers)}
                lines.append(
                    {
                        **facts,
                        **_person_facts(person),
                        "kind": K.PHOTO,
                        "key": f"photo:{use.pk}:{person.pk}",
                        "use": use,
                        "photo": use.photo,
                        "per_photo": rules.per_photo,
                        "share_of": len(takers) if rules.sharing == FeeRules.Sharing.EQUAL else 1,
                        "piece_amount": rules.per_photo,
                        "amount": ZERO if withdrawn else amount,
                        "is_void": False,
                        "note": note,
                        **void,
                    }
                )
    return lines


def payable(line: FeeLine) -> Decimal:
    """What a line pays: its amount and its adjustments (prefetch them for a list)."""
    return line.amount + sum((a.amount for a in line.adjustments.all()), ZERO)


def _first_open(month: datetime.date, locked: set) -> datetime.date:
    while month in locked:
        month = next_month(month)
    return month


def carry_lines(month: datetime.date) -> list[dict]:
    """What copy withdrawn or corrected after its month was locked changes, due in month.

    A locked line is never computed again; the difference between what it
    paid (with its adjustments, and what earlier carries already settled)
    and what it would pay now becomes a line of the first open month from
    the month of the withdrawal or correction on, never the locked month.
    """
    after_lock = Q(
        article__status=S.WITHDRAWN, article__withdrawn_at__gt=F("month__locked_at")
    ) | Q(article__corrections__created_at__gt=F("month__locked_at"))
    candidates = (
        FeeLine.objects.filter(
            after_lock,
            month__status=FeeMonth.Status.LOCKED,
            month__month__lt=month,
            kind__in=[K.TEXT, K.PHOTO],
            is_void=False,
        )
        .distinct()
        .select_related("month", "article", "person", "section")
        .prefetch_related(
            "adjustments",
            "article__corrections",
            Prefetch(
                "carries",
                queryset=FeeLine.objects.select_related("month").prefetch_related("adjustments"),
            ),
        )
        .order_by("pk")
    )
    locked = set(
        FeeMonth.objects.filter(status=FeeMonth.Status.LOCKED).values_list("month", flat=True)
    )
    lines = []
    for line in candidates:
        article, locked_at = line.article, line.month.locked_at
        # after_lock joins both: a line with an article, of a month locked at a time.
        assert article is not None and locked_at is not None
        adjusted = sum((a.amount for a in line.adjustments.all()), ZERO)
        withdrawn_at = article.withdrawn_at
        if article.status == S.WITHDRAWN and withdrawn_at is not None and withdrawn_at > locked_at:
            event, target = withdrawn_at, ZERO
            note = _("withdrawn after %(month)s was locked") % {"month": line.month}
        elif line.kind == K.TEXT:
            corrected = [
                c.created_at for c in article.corrections.all() if c.created_at > locked_at
            ]
            event = max(corrected)
            piece = piece_fee(article.char_count, line.per_thousand, line.minimum, line.multiplier)
            share = money(piece * line.amount / line.piece_amount) if line.piece_amount else ZERO
            target = share + adjusted
            note = _("corrected after %(month)s was locked: %(before)s → %(after)s characters") % {
                "month": line.month,
                "before": line.chars,
                "after": article.char_count,
            }
        else:
            continue  # a correction changes no photo's fee
        due = _first_open(max(month_of(event), next_month(line.month.month)), locked)
        if due != month:
            continue
        settled = line.amount + adjusted
        settled += sum(
            (payable(carry) for carry in line.carries.all() if carry.month.month != month), ZERO
        )
        difference = target - settled
        if difference == ZERO:
            continue
        lines.append(
            {
                "key": f"carry:{line.pk}",
                "kind": K.CARRY,
                "carried_from": line,
                "person": line.person,
                "person_name": line.person_name,
                "organization": line.organization,
                "article": article,
                "section": line.section,
                "headline": line.headline,
                "published_on": line.published_on,
                "page_number": line.page_number,
                "position": line.position,
                "article_kind": line.article_kind,
                "chars": article.char_count,
                "per_thousand": line.per_thousand,
                "minimum": line.minimum,
                "per_photo": line.per_photo,
                "multiplier": line.multiplier,
                "share_of": line.share_of,
                "piece_amount": line.piece_amount,
                "amount": difference,
                "is_void": False,
                "note": note[:200],
            }
        )
    return lines
