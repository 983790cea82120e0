"""Attaching a page PDF, locating again, correcting a zone: who may, and when."""

import datetime

import pytest
from django.core.files.storage import default_storage

from articles.epaper import pages
from articles.epaper.render import PagePDFError
from articles.models import Article, ArticleZone, Edition
from articles.permissions import Refused as TransitionRefused
from tests.factories import EditionFactory, PageFactory

from .composing import demo_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    """A page being planned, carrying the demo's 第1版 copy."""
    edition = EditionFactory(date=datetime.date(2026, 11, 27), status=Edition.Status.PLANNING)
    page = PageFactory(edition=edition, number=1, name="要闻")
    items, _pdf = demo_page(1)
    for position, item in enumerate(items, start=1):
        Article.objects.create(
            kind="photo" if item.kind == "photo" else "news",
            kicker=item.kicker,
            headline=item.headline,
            subheadline=item.subheadline,
            source=item.source,
            body="\n\n".join(item.paragraphs),
            status=Article.Status.APPROVED,
            page=page,
            position=position,
        )
    return page


def test_an_editor_attaches_a_page_pdf_and_every_article_is_located(page, people):
    _items, pdf = demo_page(1)
    result = pages.attach_pdf(page, pdf, user=people["editor"])
    assert (result.found, result.total) == (4, 4)
    page.refresh_from_db()
    assert page.has_facsimile
    for name in pages.stored_files(page):
        assert default_storage.exists(name)
    assert set(page.zones.values_list("article_id", flat=True)) == set(
        page.articles.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("role", ["reporter", "correspondent", "photographer", "nobody"])
def test_anyone_but_an_editor_is_refused_and_nothing_is_stored(page, people, role):
    _items, pdf = demo_page(1)
    with pytest.raises(TransitionRefused):
        pages.attach_pdf(page, pdf, user=people[role])
    page.refresh_from_db()
    assert not page.pdf and not ArticleZone.objects.exists()


@pytest.mark.parametrize("status", [Edition.Status.SIGNED_OFF, Edition.Status.PUBLISHED])
def test_signed_off_and_published_pages_are_read_only(page, people, status):
    _items, pdf = demo_page(1)
    pages.attach_pdf(page, pdf, user=people["editor"])
    Edition.objects.filter(pk=page.edition_id).update(status=status)
    page.refresh_from_db()
    before = list(ArticleZone.objects.values_list("left", "top", "width", "height"))
    article = page.articles.first()
    with pytest.raises(TransitionRefused, match="签发" if status == "signed_off" else "已发布"):
        pages.attach_pdf(page, pdf, user=people["chief"])
    with pytest.raises(TransitionRefused):
        pages.relocate(page, user=people["chief"])
    with pytest.raises(TransitionRefused):
        pages.correct_zone(
            page, article, user=people["chief"], left=0, top=0, width=0.5, height=0.5
        )
    assert list(ArticleZone.objects.values_list("left", "top", "width", "height")) == before


def test_a_file_that_is_not_a_page_pdf_stores_nothing(page, people):
    with pytest.raises(PagePDFError):
        pages.attach_pdf(page, b"GIF89a not a pdf", user=people["editor"])
    page.refresh_from_db()
    assert not page.pdf and page.facsimile == {}


def test_an_editors_zone_is_kept_when_the_page_is_located_again(page, people):
    _items, pdf = demo_page(1)
    pages.attach_pdf(page, pdf, user=people["editor"])
    article = page.articles.order_by("position").first()
    pages.correct_zone(
        page, article, user=people["editor"], left=0.1, top=0.2, width=0.3, height=0.25
    )
    result = pages.relocate(page, user=people["editor"])
    assert result.found == result.total == 4
    kept = ArticleZone.objects.get(article=article)
    assert (kept.left, kept.top, kept.width, kept.height, kept.is_manual) == (
        0.1,
        0.2,
        0.3,
        0.25,
        True,
    )
    pages.forget_zone(page, article, user=people["editor"])
    located = ArticleZone.objects.get(article=article)
    assert not located.is_manual and located.left != 0.1


@pytest.mark.parametrize(
    "box",
    [
        {"left": -0.1, "top": 0, "width": 0.5, "height": 0.5},
        {"left": 0.8, "top": 0, "width": 0.5, "height": 0.5},
        {"left": 0, "top": 0, "width": 0, "height": 0.5},
        {"left": 0, "top": 0, "width": "wide", "height": 0.5},
    ],
)
def test_a_zone_outside_the_page_is_refused(page, people, box):
    article = page.articles.first()
    with pytest.raises(TransitionRefused):
        pages.correct_zone(page, article, user=people["editor"], **box)
    assert not ArticleZone.objects.exists()


def test_a_zone_for_copy_on_another_page_is_refused(page, people):
    other = PageFactory(edition=page.edition, number=2)
    stranger = Article.objects.create(headline="别版稿件", page=other, position=1)
    with pytest.raises(TransitionRefused, match="别版稿件"):
        pages.correct_zone(
            page, stranger, user=people["editor"], left=0, top=0, width=0.5, height=0.5
        )


def test_the_page_form_draws_its_zones_for_the_editor_and_saves_them_through_the_write_path(
    page, people
):
    """The zone rows stay what is saved; zone-editor.js draws them on the picture."""
    import lxml.html
    from django.urls import reverse

    from tests.newsroom import client_for

    _items, pdf = demo_page(1)
    pages.attach_pdf(page, pdf, user=people["editor"])
    # The article the text layer missed.
    missed = page.articles.order_by("position").last()
    ArticleZone.objects.filter(article=missed).delete()
    url = reverse("admin:articles_page_change", args=[page.pk])
    editor = client_for(people["editor"])
    doc = lxml.html.fromstring(editor.get(url).content.decode())
    assert doc.cssselect('script[src$="newsroom/zone-editor.js"]')
    assert doc.cssselect("[data-zone-editor] img") and doc.cssselect("[data-zone-tools]")
    assert "画新热区" in doc.text_content()
    # What the script writes is what a save sends: a new zone for it, through
    # correct_zone (kept as the editor's, the page's version up).
    version = type(page).objects.get(pk=page.pk).version
    form = {}
    for form_ in doc.forms:
        if form_.get("id") == "page_form":
            for name, value in form_.form_values():
                form.setdefault(name, []).append(value)
    total = int(form["zones-TOTAL_FORMS"][0])
    form["zones-TOTAL_FORMS"] = [str(total + 1)]
    form.update(
        {
            f"zones-{total}-article": [str(missed.pk)],
            f"zones-{total}-left": ["0.1"],
            f"zones-{total}-top": ["0.6"],
            f"zones-{total}-width": ["0.4"],
            f"zones-{total}-height": ["0.2"],
        }
    )
    assert editor.post(url, form).status_code == 302
    zone = ArticleZone.objects.get(article=missed)
    assert (zone.left, zone.top, zone.width, zone.height, zone.is_manual) == (
        0.1,
        0.6,
        0.4,
        0.2,
        True,
    )
    assert type(page).objects.get(pk=page.pk).version > version


def test_a_signed_off_pages_facsimile_offers_no_drawing(page, people):
    from django.urls import reverse

    from tests.newsroom import client_for

    _items, pdf = demo_page(1)
    pages.attach_pdf(page, pdf, user=people["editor"])
    Edition.objects.filter(pk=page.edition_id).update(status=Edition.Status.SIGNED_OFF)
    html = (
        client_for(people["editor"])
        .get(reverse("admin:articles_page_change", args=[page.pk]))
        .content.decode()
    )
    # The script finds no zone rows to change and leaves the tools hidden.
    assert 'name="zones-0-left"' not in html
