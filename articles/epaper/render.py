"""A page PDF checked and drawn as web pictures: two widths and a thumbnail.

Nothing here reads a PDF in the web or worker process itself: a hostile file
(a 586-byte page 50 × 5,000 points, a content stream or an object stream that
inflates to gigabytes) is read only in a child process under a memory and a
time cap (isolation.py), which runs the functions below. What is refused
says why in the user's language: PagePDFError carries a code and its
figures, and its text is made where it is shown.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import pypdfium2 as pdfium

# Why a page PDF is refused, by code; each is shown with its figures.
REASONS = {
    "too_large": _("The PDF is larger than %(size)s MB."),
    "not_pdf": _("This file is not a PDF."),
    "unreadable": _("The PDF cannot be read: %(error)s"),
    "pages": _("A page PDF holds one printed page; this one has %(count)s."),
    "page_size": _(
        "The page is %(width)s × %(height)s points, not the size of a newspaper page "
        "(each side between %(least)s and %(most)s points)."
    ),
    "pixels": _(
        "The page would be drawn %(width)s × %(height)s pixels, more than the %(limit)s "
        "million allowed: a newspaper page is not that tall for its width."
    ),
    "objects": _(
        "The page holds %(count)s drawing objects (text runs, lines, pictures); a printed "
        "page has fewer than %(limit)s."
    ),
    "chars": _("The page holds %(count)s characters; a printed page has fewer than %(limit)s."),
    "time": _("The PDF could not be read and drawn within %(seconds)s seconds."),
    "memory": _("Reading and drawing the PDF needs more than %(megabytes)s MB of memory."),
    "crashed": _("The PDF could not be read and drawn: the process stopped (%(detail)s)."),
}


class PagePDFError(ValueError):
    """The file is not a page PDF we accept; str() says why, in the active language."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(REASONS[self.code]) % self.params

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    """What a page PDF may ask for: settings.EPAPER_*, passed to the child process."""

    max_bytes: int
    least_points: float
    most_points: float
    max_pixels: int
    widths: tuple[int, ...]
    thumbnail_width: int
    webp_quality: int
    max_objects: int
    max_chars: int
    seconds: int
    memory: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        least, most = settings.EPAPER_PAGE_POINTS
        return cls(
            max_bytes=settings.EPAPER_MAX_PDF_SIZE,
            least_points=least,
            most_points=most,
            max_pixels=settings.EPAPER_MAX_PIXELS,
            widths=tuple(sorted(settings.EPAPER_PAGE_WIDTHS)),
            thumbnail_width=settings.EPAPER_THUMBNAIL_WIDTH,
            webp_quality=settings.EPAPER_WEBP_QUALITY,
            max_objects=settings.EPAPER_MAX_PAGE_OBJECTS,
            max_chars=settings.EPAPER_MAX_PAGE_CHARS,
            seconds=settings.EPAPER_JOB_SECONDS,
            memory=settings.EPAPER_JOB_MEMORY,
        )

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Inspection:
    """What a page PDF asks for before anything is drawn."""

    width: float  # PDF points
    height: float
    pixels: tuple[int, int]  # as drawn at the widest web width


@dataclass
class Picture:
    kind: str  # "page" or "thumbnail"
    width: int
    height: int
    data: bytes
    content_type: str = "image/webp"

    @property
    def name(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"{self.kind}-{self.width}-{digest}.webp"


@dataclass
class RenderedPage:
    width: float  # PDF points
    height: float
    pictures: list[Picture] = field(default_factory=list)


def load_document(data: bytes, limits: Limits) -> tuple[pdfium.PdfDocument, Inspection]:
    """Return the PDF document in data, checked as one page of a newspaper page's size.

    Only the document's structure is read (its page tree, the page's boxes),
    never the page's contents; yet even that may inflate an object stream to
    gigabytes, so a file not known to be harmless is loaded in the child
    process (isolation.py) only.
    """
    if len(data) > limits.max_bytes:
        raise PagePDFError("too_large", size=limits.max_bytes // (1024 * 1024))
    if not data.lstrip()[:5] == b"%PDF-":
        raise PagePDFError("not_pdf")
    # PDFium is imported where a PDF is read (the capped child process, the
    # queue's worker), not on import: the web workers read none, and it is 5 MiB
    # of each one's memory.
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PagePDFError("unreadable", error=str(error)) from None
    try:
        return document, _inspect(document, limits)
    except BaseException:
        document.close()
        raise


def _inspect(document: pdfium.PdfDocument, limits: Limits) -> Inspection:
    if len(document) != 1:
        raise PagePDFError("pages", count=len(document))
    # From the page's boxes and rotation, without parsing its contents.
    width, height = document.get_page_size(0)
    if not all(limits.least_points <= side <= limits.most_points for side in (width, height)):
        raise PagePDFError(
            "page_size",
            width=round(width),
            height=round(height),
            least=round(limits.least_points),
            most=round(limits.most_points),
        )
    widest = max(limits.widths)
    pixels = (widest, round(height * widest / width))
    if pixels[0] * pixels[1] > limits.max_pixels:
        raise PagePDFError(
            "pixels",
            width=pixels[0],
            height=pixels[1],
            limit=f"{limits.max_pixels / 1_000_000:g}",
        )
    return Inspection(width=width, height=height, pixels=pixels)


def load_page(document: pdfium.PdfDocument, limits: Limits) -> pdfium.PdfPage:
    """Return the document's page, its contents parsed, refused when it is not a printed page's."""
    import pypdfium2.raw as pdfium_c  # where a PDF is read (see load_document)

    page = document[0]
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count > limits.max_objects:
        page.close()
        raise PagePDFError("objects", count=count, limit=limits.max_objects)
    return page


def _webp(image: Any, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=4)
    return buffer.getvalue()


def draw(page: pdfium.PdfPage, limits: Limits) -> RenderedPage:
    """Draw the page at the web widths and as a thumbnail (annotations left out)."""
    width, height = page.get_size()
    widest = max(limits.widths)
    bitmap = page.render(scale=widest / width, draw_annots=False)
    full = bitmap.to_pil().convert("RGB")
    bitmap.close()
    rendered = RenderedPage(width=width, height=height)
    for target in limits.widths:
        image = (
            full
            if target == full.width
            else full.resize((target, round(full.height * target / full.width)), resample=3)
        )
        picture = Picture("page", image.width, image.height, _webp(image, limits.webp_quality))
        rendered.pictures.append(picture)
    thumb_width = limits.thumbnail_width
    thumb = full.resize((thumb_width, round(full.height * thumb_width / full.width)), resample=3)
    rendered.pictures.append(
        Picture("thumbnail", thumb.width, thumb.height, _webp(thumb, limits.webp_quality))
    )
    return rendered


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Return the page PDF in data, or raise PagePDFError saying what is wrong.

    It is first checked in a capped child process (isolation.inspect), so a
    file that would take this process's memory is refused there; use
    isolation.inspect alone where no document is needed.
    """
    from articles.epaper import isolation

    limits = Limits.from_settings()
    isolation.inspect(data, limits)
    return load_document(data, limits)[0]


def render(data: bytes) -> RenderedPage:
    """Check a page PDF and draw it at the web widths and as a thumbnail (in a child process)."""
    from articles.epaper import isolation

    rendered = isolation.process(data, [], Limits.from_settings()).rendered
    assert rendered is not None  # "process" always draws the page or raises
    return rendered
