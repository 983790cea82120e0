"""稿费 from the record: every amount of a month checked against the figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from articles import services, workflow
from articles.ledger import fees
from articles.models import FeeLine
from articles.permissions import Refused
from tests.ledger.world import DECEMBER, NOVEMBER, Month, at

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def month(people):
    return Month(people)


def amounts(fee_month):
    """{(name, headline-or-photo, kind): amount} of a month's lines."""
    return {
        (line.person_name, line.article_id, line.kind): line.amount
        for line in fee_month.lines.all()
    }


def totals(fee_month):
    result = {}
    for line in fee_month.lines.prefetch_related("adjustments"):
        result[line.person_name] = result.get(line.person_name, D("0")) + fees.payable(line)
    return result


def compute(people, when=None):
    with time_machine.travel(when or at(11, 30, 18), tick=False):
        return services.compute_fee_month(NOVEMBER, user=people["chief"])


def test_each_line_is_the_amount_worked_out_by_hand(month, people):
    november = compute(people)
    m = month
    assert amounts(november) == {
        ("林晓", m.a.pk, "text"): D("90.00"),
        ("周敏", m.a.pk, "text"): D("90.00"),
        ("陈光", m.a.pk, "photo"): D("30.00"),
        ("周敏", m.b.pk, "text"): D("281.40"),
        ("林晓", m.c.pk, "text"): D("6.67"),
        ("许诺", m.c.pk, "text"): D("6.67"),
        ("周敏", m.c.pk, "text"): D("6.66"),
        ("陈光", m.d.pk, "photo"): D("15.00"),
        ("宋卫东", m.d.pk, "photo"): D("15.00"),
    }
    assert totals(november) == {
        "林晓": D("96.67"),
        "周敏": D("378.06"),
        "许诺": D("6.67"),
        "陈光": D("45.00"),
        "宋卫东": D("15.00"),
    }
    assert sum(totals(november).values()) == D("541.40")


def test_each_line_keeps_the_facts_it_was_computed_from(month, people):
    line = compute(people).lines.get(key=f"text:{month.a.pk}:{month.lin.pk}")
    assert (line.chars, line.page_number, line.position, line.published_on) == (
        1250,
        1,
        1,
        datetime.date(2026, 11, 10),
    )
    assert (line.per_thousand, line.minimum, line.multiplier, line.share_of) == (
        D("80.00"),
        D("30.00"),
        D("1.8000"),
        2,
    )
    assert line.piece_amount == D("180.00")
    zhou = compute(people).lines.filter(person=month.zhou).first()
    assert zhou.organization == "江南街道办事处"


def test_amounts_are_decimals_to_the_fen_never_floats(month, people):
    for line in compute(people).lines.all():
        assert isinstance(line.amount, Decimal) and line.amount == line.amount.quantize(D("0.01"))


def test_each_bylined_paid_the_whole_when_the_rules_say_so(month, people):
    from articles.models import FeeRules

    rules = FeeRules.objects.get()
    rules.sharing = FeeRules.Sharing.EACH
    services.save_fee_rules(rules, user=people["chief"])
    november = compute(people)
    assert totals(november)["林晓"] == D("180.00") + D("20.00")
    assert totals(november)["陈光"] == D("60.00")


def test_an_adjustment_is_a_row_of_its_own_and_survives_a_new_computation(month, people):
    november = compute(people)
    line = november.lines.get(key=f"text:{month.a.pk}:{month.lin.pk}")
    services.adjust_fee_line(line, user=people["desk_head"], amount="20.00", reason="独家报道")
    november = compute(people)
    line = november.lines.get(key=f"text:{month.a.pk}:{month.lin.pk}")
    assert [(a.amount, a.reason, a.created_by) for a in line.adjustments.all()] == [
        (D("20.00"), "独家报道", people["desk_head"])
    ]
    assert totals(november)["林晓"] == D("116.67")


def test_the_desk_head_adjusts_only_the_sections_they_head(month, people):
    november = compute(people)
    culture = november.lines.get(key=f"text:{month.b.pk}:{month.zhou.pk}")
    with pytest.raises(Refused):
        services.adjust_fee_line(culture, user=people["desk_head"], amount="5", reason="多写")
    for role in ("reporter", "correspondent", "editor"):
        with pytest.raises(Refused):
            services.adjust_fee_line(culture, user=people[role], amount="5", reason="多写")
    services.adjust_fee_line(culture, user=people["chief"], amount="5", reason="多写")


@pytest.mark.parametrize(
    "amount, reason",
    [
        ("abc", "理由"),
        ("1.005", "理由"),
        ("0", "理由"),
        ("NaN", "理由"),
        ("10", "  "),
        ("-500", "扣"),
    ],
)
def test_a_bad_adjustment_is_refused_and_nothing_is_written(month, people, amount, reason):
    line = compute(people).lines.get(key=f"text:{month.a.pk}:{month.lin.pk}")
    with pytest.raises(Refused):
        services.adjust_fee_line(line, user=people["chief"], amount=amount, reason=reason)
    assert not line.adjustments.exists()


def lock(people, when=None):
    with time_machine.travel(when or at(12, 1, 10), tick=False):
        november = services.compute_fee_month(NOVEMBER, user=people["desk_head"])
        return services.approve_fee_month(november, user=people["chief"])


def test_only_the_chief_approves_and_a_locked_month_changes_no_more(month, people):
    november = compute(people)
    for role in ("desk_head", "editor", "reporter"):
        with pytest.raises(Refused):
            services.approve_fee_month(november, user=people[role])
    november = lock(people)
    assert november.is_locked and november.locked_by == people["chief"]
    line = november.lines.first()
    with pytest.raises(Refused):
        services.adjust_fee_line(line, user=people["chief"], amount="1", reason="晚了")
    with pytest.raises(Refused):
        services.compute_fee_month(NOVEMBER, user=people["chief"])
    with pytest.raises(Refused):
        services.approve_fee_month(november, user=people["chief"])


def test_a_withdrawal_after_the_lock_is_an_adjustment_in_the_next_month(month, people):
    november = compute(people)
    a_lin = november.lines.get(key=f"text:{month.a.pk}:{month.lin.pk}")
    services.adjust_fee_line(a_lin, user=people["desk_head"], amount="20.00", reason="独家报道")
    november = lock(people)
    with time_machine.travel(at(12, 5), tick=False):
        workflow.transition(month.b, "withdraw", user=people["editor"], note="事实有误")
        workflow.transition(month.a, "withdraw", user=people["editor"], note="当事人要求")
    before = totals(november)
    with time_machine.travel(at(12, 31, 18), tick=False):
        december = services.compute_fee_month(DECEMBER, user=people["chief"])
    # The locked month is what it was.
    assert (
        totals(november)
        == before
        == {
            "林晓": D("116.67"),
            "周敏": D("378.06"),
            "许诺": D("6.67"),
            "陈光": D("45.00"),
            "宋卫东": D("15.00"),
        }
    )
    carries = {
        (line.person_name, line.carried_from.article_id, line.carried_from.kind): line.amount
        for line in december.lines.filter(kind="carry").select_related("carried_from")
    }
    # Everything a withdrawn piece paid comes back: its adjustment too.
    assert carries == {
        ("周敏", month.b.pk, "text"): D("-281.40"),
        ("林晓", month.a.pk, "text"): D("-110.00"),
        ("周敏", month.a.pk, "text"): D("-90.00"),
        ("陈光", month.a.pk, "photo"): D("-30.00"),
    }
    # Computed again, December carries each only once.
    with time_machine.travel(at(12, 31, 19), tick=False):
        december = services.compute_fee_month(DECEMBER, user=people["chief"])
    assert december.lines.filter(kind="carry").count() == 4


def test_a_correction_after_the_lock_carries_the_difference(month, people):
    lock(people)
    with time_machine.travel(at(12, 3), tick=False):
        month.a.body = "字" * 1000
        services.save_article(month.a, user=people["editor"], correction="删去重复的段落。")
    with time_machine.travel(at(12, 31, 18), tick=False):
        december = services.compute_fee_month(DECEMBER, user=people["chief"])
    # 80 × 1.000 × 1.8 = 144.00, 72.00 each: 18.00 less than was paid.
    assert sorted(
        (line.person_name, line.amount) for line in december.lines.filter(kind="carry")
    ) == [("周敏", D("-18.00")), ("林晓", D("-18.00"))]


def test_a_withdrawal_before_the_lock_pays_nothing_and_says_so(month, people):
    with time_machine.travel(at(11, 20), tick=False):
        workflow.transition(month.b, "withdraw", user=people["editor"], note="事实有误")
    line = compute(people).lines.get(key=f"text:{month.b.pk}:{month.zhou.pk}")
    assert (line.amount, line.is_void) == (D("0.00"), True)


def test_a_month_computed_again_from_unchanged_records_is_the_same(month, people):
    first = amounts(compute(people))
    assert amounts(compute(people)) == first
    assert FeeLine.objects.count() == len(first)


@pytest.mark.parametrize(
    "field, value",
    [
        ("per_photo", "-1"),
        ("per_photo", "1.234"),
        ("per_photo", "many"),
        ("front_page_multiplier", "0.5"),
        ("lead_multiplier", "11"),
        ("sharing", "lottery"),
    ],
)
def test_bad_rules_are_refused_with_their_field(month, people, field, value):
    from articles.models import FeeRules

    rules = FeeRules.objects.get()
    setattr(rules, field, value)
    with pytest.raises(Refused) as refused:
        services.save_fee_rules(rules, user=people["chief"])
    assert refused.value.field == field
    assert FeeRules.objects.get().per_photo == D("30.00")


@pytest.mark.parametrize(
    "rates",
    [
        [("news", "-1", "0")],
        [("news", "80", "1e9")],
        [("news", "80.001", "0")],
        [("novel", "80", "0")],
        [("news", "80", "0"), ("news", "90", "0")],
    ],
)
def test_bad_rates_are_refused_and_nothing_is_written(month, people, rates):
    from articles.models import FeeRules, KindRate

    before = list(KindRate.objects.values_list("kind", "per_thousand", "minimum"))
    with pytest.raises(Refused):
        services.save_fee_rules(
            FeeRules.objects.get(),
            user=people["chief"],
            rates=[
                services.FeeRate(k, D(p), D(m)) if k != "novel" else services.FeeRate(k, p, m)
                for k, p, m in rates
            ],
        )
    assert list(KindRate.objects.values_list("kind", "per_thousand", "minimum")) == before


def test_only_the_chief_sets_the_rules(month, people):
    from articles.models import FeeRules

    for role in ("desk_head", "editor", "reporter"):
        with pytest.raises(Refused):
            services.save_fee_rules(FeeRules.objects.get(), user=people[role])
