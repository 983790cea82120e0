"""稿费 in the admin: each role's month, adjusting, approving, the Excel file finance takes."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from articles import services
from articles.models import FeeAdjustment, FeeMonth, FeeRules, KindRate
from tests.ledger.world import NOVEMBER, Month, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(people):
    Month(people)
    with time_machine.travel(at(11, 30, 18), tick=False):
        return services.compute_fee_month(NOVEMBER, user=people["chief"])


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def detail(user, month):
    return client_of(user).get(reverse("admin:articles_feemonth_detail", args=[month.pk]))


def workbook(user, month):
    response = client_of(user).get(reverse("admin:articles_feemonth_export", args=[month.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_the_excel_file_has_finances_columns_and_the_totals(people, november):
    book = workbook(people["chief"], november)
    sheet = book["稿费明细"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("姓名", "单位", "稿件", "日期", "版次", "字数", "金额", "备注")
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][6])) == Decimal("541.40")
    assert len(rows) == 2 + 9 + 1
    zhou = [r for r in rows[2:-1] if r[0] == "周敏"]
    assert {r[1] for r in zhou} == {"江南街道办事处"}
    assert sorted(r[4] for r in zhou) == ["第1版", "第2版", "第2版"]
    summary = {r[0]: r for r in book["按人汇总"].iter_rows(values_only=True)}
    assert Decimal(str(summary["周敏"][4])) == Decimal("378.06")
    assert summary["周敏"][2:4] == (3, 1250 + 2345 + 333)
    assert Decimal(str(summary["合计"][4])) == Decimal("541.40")


def test_a_correspondent_sees_and_downloads_their_own_statement(people, november):
    page = detail(people["correspondent"], november).content.decode()
    assert "周敏" in page and "林晓" not in page and "宋卫东" not in page
    rows = list(workbook(people["correspondent"], november)["稿费明细"].iter_rows(values_only=True))
    assert {r[0] for r in rows[2:-1]} == {"周敏"}
    assert Decimal(str(rows[-1][6])) == Decimal("378.06")


def test_the_desk_head_sees_and_adjusts_their_sections_lines(people, november):
    page = detail(people["desk_head"], november).content.decode()
    assert "社区" not in page  # F was never printed
    assert page.count('name="reason"') == 8  # the 城市 lines: A ×3, C ×3, D's two photos
    line = november.lines.get(
        headline__startswith="我市", kind="text", person_name="林晓", article__page__number=1
    )
    url = reverse("admin:articles_feemonth_adjust", args=[line.pk])
    client = client_of(people["desk_head"])
    client.post(url, {"amount": "20.00", "reason": "独家报道"})
    assert [(a.amount, a.reason) for a in FeeAdjustment.objects.all()] == [
        (Decimal("20.00"), "独家报道")
    ]
    client.post(url, {"amount": "abc", "reason": "x"})
    client.post(url, {"amount": "5", "reason": ""})
    assert FeeAdjustment.objects.count() == 1
    culture = november.lines.get(kind="text", section__name="文化")
    client.post(
        reverse("admin:articles_feemonth_adjust", args=[culture.pk]), {"amount": "5", "reason": "x"}
    )
    assert FeeAdjustment.objects.count() == 1


def test_the_chief_locks_the_month_from_its_page(people, november):
    url = reverse("admin:articles_feemonth_approve", args=[november.pk])
    client_of(people["desk_head"]).post(url)
    assert not FeeMonth.objects.get().is_locked
    with time_machine.travel(at(12, 1, 10), tick=False):
        client_of(people["chief"]).post(url)
    assert FeeMonth.objects.get().is_locked
    page = detail(people["chief"], november).content.decode()
    assert 'name="reason"' not in page and "approve" not in page.split("nr-fees__actions")[1][:300]


def test_the_month_list_shows_each_viewer_their_total(people, november):
    url = reverse("admin:articles_feemonth_changelist")
    assert "541.40" in client_of(people["chief"]).get(url).content.decode()
    assert "378.06" in client_of(people["correspondent"]).get(url).content.decode()
    assert client_of(people["nobody"]).get(url).status_code == 200


def test_a_month_is_computed_from_its_page_and_a_bad_month_is_refused(people):
    url = reverse("admin:articles_feemonth_compute")
    client_of(people["chief"]).post(url, {"month": "2026-13"})
    client_of(people["reporter"]).post(url, {"month": "2026-11"})
    assert not FeeMonth.objects.exists()
    client_of(people["desk_head"]).post(url, {"month": "2026-11"})
    assert FeeMonth.objects.get().month == NOVEMBER


def test_the_chief_sets_the_rates_and_a_bad_rate_is_refused_on_the_form(people):
    rules = FeeRules.objects.get()
    url = reverse("admin:articles_feerules_change", args=[rules.pk])
    from tests.admin.test_doors import form_values

    data = form_values(client_of(people["chief"]), url)
    row = next(
        i for i, kind in enumerate(data[f"rates-{n}-kind"][0] for n in range(5)) if kind == "news"
    )
    data[f"rates-{row}-per_thousand"] = ["-5"]
    client_of(people["chief"]).post(url, data)
    assert KindRate.objects.get(kind="news").per_thousand == Decimal("80.00")
    data[f"rates-{row}-per_thousand"] = ["95.50"]
    client_of(people["chief"]).post(url, data)
    assert KindRate.objects.get(kind="news").per_thousand == Decimal("95.50")
    data[f"rates-{row}-per_thousand"] = ["99"]
    client_of(people["desk_head"]).post(url, data)
    assert KindRate.objects.get(kind="news").per_thousand == Decimal("95.50")
