"""A new edition starts as the next one: the next date, the next 期号, the latest edition's pages."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import EditionFactory, PageFactory
from tests.newsroom import client_for

pytestmark = pytest.mark.django_db


def add_form(people):
    page = client_for(people["editor"]).get(reverse("admin:articles_edition_add"))
    return lxml.html.fromstring(page.content.decode())


def value(doc, selector):
    found = doc.cssselect(selector)[0].get("value")
    return found.replace("/", "-") if found else found  # dates as the locale writes them


def test_a_new_edition_follows_the_latest(people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False)
    latest = EditionFactory(date=datetime.date(2026, 11, 28), number=6126)
    PageFactory(
        edition=latest, number=1, name="要闻", editor=people["editor"].person, capacity=5000
    )
    PageFactory(edition=latest, number=2, name="城市", capacity=6000)
    doc = add_form(people)
    assert value(doc, "#id_date") == "2026-11-29"
    assert value(doc, "#id_number") == "6127"
    assert value(doc, "#id_pages-TOTAL_FORMS") == "2"
    assert [value(doc, f"#id_pages-{n}-name") for n in (0, 1)] == ["要闻", "城市"]
    assert [value(doc, f"#id_pages-{n}-capacity") for n in (0, 1)] == ["5000", "6000"]
    chosen = doc.cssselect("#id_pages-0-editor option[selected]")
    assert [o.get("value") for o in chosen] == [str(people["editor"].person.pk)]


def test_after_a_gap_the_next_edition_is_tomorrows(people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False)
    EditionFactory(date=datetime.date(2026, 11, 27), number=6125)
    doc = add_form(people)
    assert value(doc, "#id_date") == "2026-12-07"
    assert value(doc, "#id_number") == "6126"


def test_the_first_edition_has_no_number_to_follow(people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False)
    doc = add_form(people)
    assert value(doc, "#id_date") == "2026-12-07"
    assert value(doc, "#id_number") in (None, "")
    assert value(doc, "#id_pages-TOTAL_FORMS") == "0"
