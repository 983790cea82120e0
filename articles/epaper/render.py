"""A page PDF checked and drawn as web pictures: two widths and a thumbnail."""

import hashlib
import io
from dataclasses import dataclass, field

import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext as _


class PagePDFError(ValueError):
    """The file is not a PDF of one printed page; the message says why."""


@dataclass
class Picture:
    kind: str  # "page" or "thumbnail"
    width: int
    height: int
    data: bytes
    content_type: str = "image/webp"

    @property
    def name(self):
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"{self.kind}-{self.width}-{digest}.webp"


@dataclass
class RenderedPage:
    width: float  # PDF points
    height: float
    pictures: list = field(default_factory=list)


def open_pdf(data):
    """Return the PDF document in data, or raise PagePDFError saying what is wrong."""
    if len(data) > settings.EPAPER_MAX_PDF_SIZE:
        raise PagePDFError(
            _("The PDF is larger than %(size)s MB.")
            % {"size": settings.EPAPER_MAX_PDF_SIZE // (1024 * 1024)}
        )
    if not data.lstrip()[:5] == b"%PDF-":
        raise PagePDFError(_("This file is not a PDF."))
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PagePDFError(_("The PDF cannot be read: %(error)s") % {"error": error}) from None
    if len(document) != 1:
        count = len(document)
        document.close()
        raise PagePDFError(
            _("A page PDF holds one printed page; this one has %(count)s.") % {"count": count}
        )
    return document


def _webp(image):
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=settings.EPAPER_WEBP_QUALITY, method=4)
    return buffer.getvalue()


def render(data):
    """Check a page PDF and draw it at the web widths and as a thumbnail."""
    document = open_pdf(data)
    try:
        page = document[0]
        width, height = page.get_size()
        if not (50 <= width <= 5000 and 50 <= height <= 5000):
            raise PagePDFError(_("The PDF's page size is not that of a newspaper page."))
        widest = max(settings.EPAPER_PAGE_WIDTHS)
        bitmap = page.render(scale=widest / width, draw_annots=False)
        full = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    rendered = RenderedPage(width=width, height=height)
    for target in sorted(settings.EPAPER_PAGE_WIDTHS):
        image = (
            full
            if target == full.width
            else full.resize((target, round(full.height * target / full.width)), resample=3)
        )
        rendered.pictures.append(Picture("page", image.width, image.height, _webp(image)))
    thumb_width = settings.EPAPER_THUMBNAIL_WIDTH
    thumb = full.resize((thumb_width, round(full.height * thumb_width / full.width)), resample=3)
    rendered.pictures.append(Picture("thumbnail", thumb.width, thumb.height, _webp(thumb)))
    return rendered
