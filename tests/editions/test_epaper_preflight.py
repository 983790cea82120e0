"""With the e-paper on, every page goes to sign-off with its PDF; a web-only paper is told so."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.epaper import pages as epaper_pages
from articles.models import Edition
from tests.editions.test_publishing import codes, ready_edition
from tests.epaper.composing import demo_page
from tests.newsroom import client_for

pytestmark = pytest.mark.django_db


def test_with_the_epaper_on_a_page_without_its_pdf_stops_sign_off(settings, people):
    settings.EPAPER = True
    edition = ready_edition()
    assert codes(edition) == ["no_pdf"]
    with pytest.raises(workflow.TransitionRefused, match="没有版面 PDF"):
        workflow.sign_off(edition, user=people["chief"])
    assert Edition.objects.get(pk=edition.pk).status == "planning"
    planner = client_for(people["chief"]).get(
        reverse("admin:articles_edition_planner", args=[edition.pk])
    )
    assert "没有版面 PDF" in planner.content.decode()

    _items, pdf = demo_page(1)
    epaper_pages.attach_pdf(edition.pages.get(), pdf, user=people["editor"])
    assert codes(edition) == []
    workflow.sign_off(edition, user=people["chief"])


def test_a_web_only_paper_signs_off_without_pdfs_and_says_so(settings, people):
    settings.EPAPER = False
    edition = ready_edition()
    assert codes(edition) == []
    planner = client_for(people["chief"]).get(
        reverse("admin:articles_edition_planner", args=[edition.pk])
    )
    assert "本报不出电子版" in planner.content.decode()
    workflow.sign_off(edition, user=people["chief"])
