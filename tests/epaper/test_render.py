"""Page PDFs are checked before anything is stored, and drawn at the web sizes."""

import io

import pytest
from django.conf import settings
from PIL import Image

from articles.epaper.render import PagePDFError, open_pdf, render

from .composing import demo_page


def two_page_pdf():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(100, 100, "one")
    pdf.showPage()
    pdf.drawString(100, 100, "two")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "不是PDF"),
        (b"%PDF-1.7\nnot really", "无法读取"),
        (two_page_pdf(), "2 页"),
    ],
    ids=["html", "broken", "two pages"],
)
def test_anything_but_a_one_page_pdf_is_refused_with_a_reason(data, message, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(PagePDFError) as refused:
        open_pdf(data)
    assert message in str(refused.value)


def test_a_pdf_over_the_size_limit_is_refused(settings):
    settings.EPAPER_MAX_PDF_SIZE = 1000
    with pytest.raises(PagePDFError):
        open_pdf(b"%PDF-" + b" " * 2000)


def test_a_page_is_drawn_at_each_web_width_and_as_a_thumbnail():
    _items, pdf = demo_page(1)
    rendered = render(pdf)
    pages = [p for p in rendered.pictures if p.kind == "page"]
    thumbs = [p for p in rendered.pictures if p.kind == "thumbnail"]
    assert [p.width for p in pages] == sorted(settings.EPAPER_PAGE_WIDTHS)
    assert [p.width for p in thumbs] == [settings.EPAPER_THUMBNAIL_WIDTH]
    for picture in rendered.pictures:
        image = Image.open(io.BytesIO(picture.data))
        assert image.format == "WEBP"
        assert image.size == (picture.width, picture.height)
        # The page's proportions are kept.
        assert abs(picture.height / picture.width - rendered.height / rendered.width) < 0.01
    assert len({p.name for p in rendered.pictures}) == len(rendered.pictures)
