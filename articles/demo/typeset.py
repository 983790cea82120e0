"""Draw a printed page as a PDF with a text layer, the way a layout program exports it.

The demo's pages and the tests' composed pages come from here, so the
e-paper has real page PDFs to show and to locate articles on. The page is a
six-column grid; each story is a module a few columns wide (more for longer
copy), packed from the top like a skyline, its body flowing through its
columns. Text is set in Noto Serif SC and Noto Sans SC (SIL Open Font
License), which the pylopdf-fonts-zh-cn wheel ships; ReportLab embeds only
TrueType outlines, so the fonts are cut down to the characters of the page
with fontTools and their outlines turned into TrueType (cu2qu) first.
"""

import hashlib
import io
import math
from dataclasses import dataclass, field
from functools import cache

from articles.copy.printing import format_dateline
from media.models import format_credit

PAGE_SIZE = (842.0, 1191.0)  # A3, near a broadsheet's proportions
MARGIN = 36.0
COLUMNS = 6
GUTTER = 10.0
BODY_SIZE = 11.0
LEADING = 17.0
MODULE_GAP = 14.0
CLOSING = set("，。、；：？！”’）》」』…—％%,.;:?!)")
OPENING = set("“‘（《「『(")
ACCENT = (0.64, 0.09, 0.10)


@dataclass
class Header:
    paper: str
    date: object
    number: int | None
    page_number: int
    page_name: str
    editor: str = ""


@dataclass
class _Line:
    text: str
    x: float
    y: float
    font: str
    size: float
    width: float = 0.0  # justify to this width when set
    colour: tuple = (0, 0, 0)


@dataclass
class _Module:
    lines: list = field(default_factory=list)
    pictures: list = field(default_factory=list)  # (image, x, y, w, h)
    rule: tuple | None = None


# --- fonts ------------------------------------------------------------------


def _to_truetype(font):
    """Turn a CFF-outlined OpenType font (already subset) into TrueType outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@cache
def _font(style, characters):
    """Register the style ("serif" or "sans") cut to characters; return its ReportLab name."""
    import pylopdf_fonts_zh_cn
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont

    path = pylopdf_fonts_zh_cn.serif_path() if style == "serif" else pylopdf_fonts_zh_cn.sans_path()
    font = TTFont(path)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(ch) for ch in characters})
    subsetter.subset(font)
    digest = hashlib.sha256(characters.encode()).hexdigest()[:10]
    name = f"Noto{style.title()}SC-{digest}"
    # ReportLab keeps one face per PostScript name: each cut gets a name of its own.
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6):
            record.string = name
    data = io.BytesIO(_to_truetype(font))
    # ReportLab tells embedded fonts apart by file name: give each its own.
    data.name = f"{name}.ttf"
    pdfmetrics.registerFont(ReportLabFont(name, data))
    return name


def _jpeg(image):
    """Return image as a JPEG ReportLab embeds as it is (DCT), not as raw pixels."""
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    return ImageReader(buffer)


# --- setting text -----------------------------------------------------------


def _units(text):
    """Split text into what may not be broken: a Han character, or a run of Latin/digits."""
    units, run = [], ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in ".%:-/"):
            run += ch
            continue
        if run:
            units.append(run)
            run = ""
        units.append(ch)
    if run:
        units.append(run)
    return units


def wrap(text, font, size, width, indent=0):
    """Break text into lines of at most width points; punctuation hangs, never starts a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current, used = [], "", indent
    for unit in _units(text):
        # Han characters and full-width punctuation take a full em, whatever
        # the subset font's table says.
        unit_width = size if not unit.isascii() else stringWidth(unit, font, size)
        if current and used + unit_width > width and unit[0] not in CLOSING:
            carry = ""
            while current and current[-1] in OPENING:
                carry, current = current[-1] + carry, current[:-1]
            lines.append(current)
            current, used = carry, size * len(carry)
        current += unit
        used += unit_width
    if current:
        lines.append(current)
    return lines


class _Setter:
    def __init__(self, serif, sans):
        self.serif, self.sans = serif, sans
        usable = PAGE_SIZE[0] - 2 * MARGIN
        self.column = (usable - (COLUMNS - 1) * GUTTER) / COLUMNS

    def span_width(self, span):
        return span * self.column + (span - 1) * GUTTER

    def module(self, item, picture, span, x, top):
        """Lay item out in span columns from (x, top); return the module and its height."""
        module = _Module()
        width = self.span_width(span)
        y = top
        headline_size = {6: 26, 5: 24, 4: 22, 3: 19, 2: 16, 1: 13}[span]
        for text, font, size in (
            (item.kicker, self.sans, 11),
            (item.headline, self.sans, headline_size),
            (item.subheadline, self.serif, 12),
        ):
            if not text:
                continue
            for line in wrap(text, font, size, width):
                y -= size * 1.3
                module.lines.append(_Line(line, x, y, font, size))
            y -= 3
        photographers = [b.name for b in item.bylines if b.role == "photographer"]
        if picture is not None:
            height = width * picture.height / picture.width
            y -= 4
            module.pictures.append((picture, x, y - height, width, height))
            y -= height + 4
        if item.kind == "photo":
            caption = " ".join(item.paragraphs)
            for line in wrap(caption, self.serif, BODY_SIZE + 0.5, width):
                y -= LEADING
                module.lines.append(_Line(line, x, y, self.serif, BODY_SIZE + 0.5))
            credit = format_credit(photographers)
            if credit:
                y -= LEADING
                module.lines.append(_Line(credit, x, y, self.sans, BODY_SIZE))
        else:
            paragraphs = list(item.paragraphs)
            words = [b for b in item.bylines if b.role != "photographer"]
            dateline = format_dateline(item.source, words)
            lines = []
            if item.source and paragraphs:
                paragraphs[0] = dateline + paragraphs[0]
            elif dateline:
                lines.append((dateline, self.sans, False))
            for paragraph in paragraphs:
                broken = wrap(paragraph, self.serif, BODY_SIZE, self.column, indent=2 * BODY_SIZE)
                for n, line in enumerate(broken):
                    text = ("\u3000\u3000" + line) if n == 0 else line
                    lines.append((text, self.serif, n < len(broken) - 1))
            rows = math.ceil(len(lines) / span) if lines else 0
            for index, (text, font, justify) in enumerate(lines):
                column, row = divmod(index, rows)
                module.lines.append(
                    _Line(
                        text,
                        x + column * (self.column + GUTTER),
                        y - (row + 1) * LEADING,
                        font,
                        BODY_SIZE,
                        width=self.column if justify else 0.0,
                    )
                )
            y -= rows * LEADING
        height = top - y
        module.rule = (x, y - MODULE_GAP / 2, x + width, y - MODULE_GAP / 2)
        return module, height


def default_span(item, picture):
    if item.kind == "photo":
        return 3
    length = sum(len(p) for p in item.paragraphs)
    if length > 900:
        return 4
    if length > 380:
        return 3
    return 2


def compose_page(items, header, *, pictures=None, spans=None, interleave=False):
    """Return the PDF of a page carrying items (PageItems), packed on a six-column grid.

    pictures and spans, if given, run parallel to items (a Pillow image or
    None; a column count). With interleave, the text is written in reading
    rows across the whole page rather than story by story, as some layout
    programs do; locating must not depend on the order.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    pictures = pictures or [None] * len(items)
    spans = spans or [None] * len(items)
    date = f"{header.date.year}年{header.date.month}月{header.date.day}日"
    weekday = "一二三四五六日"[header.date.weekday()]
    masthead = header.page_number == 1
    header_texts = [
        header.paper,
        f"{date} 星期{weekday}",
        f"第{header.number}期" if header.number else "",
        f"第{header.page_number}版",
        header.page_name,
        f"责任编辑 {header.editor}" if header.editor else "",
    ]
    characters = set("".join(header_texts))
    for item in items:
        characters |= set(item.kicker + item.headline + item.subheadline + item.source)
        characters |= set("".join(item.paragraphs))
        characters |= set("".join(b.name for b in item.bylines))
    characters |= set("本报讯记者通讯员实习生摄影编辑作者()（） \u3000")
    characters |= {chr(c) for c in range(32, 127)}
    key = "".join(sorted(characters))
    setter = _Setter(_font("serif", key), _font("sans", key))

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE_SIZE, invariant=1, pageCompression=1)
    pdf.setTitle(f"{header.paper} {date} 第{header.page_number}版 {header.page_name}")
    pdf.setAuthor(header.paper)
    top = PAGE_SIZE[1] - MARGIN
    if masthead:
        pdf.setFillColorRGB(*ACCENT)
        pdf.setFont(setter.sans, 54)
        pdf.drawString(MARGIN, top - 54, header.paper)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(setter.sans, 11)
        meta = "  ".join(t for t in header_texts[1:5] if t)
        pdf.drawRightString(PAGE_SIZE[0] - MARGIN, top - 20, meta)
        pdf.drawRightString(PAGE_SIZE[0] - MARGIN, top - 40, header_texts[5])
        top -= 70
    else:
        pdf.setFont(setter.sans, 11)
        pdf.drawString(MARGIN, top - 12, f"{header_texts[3]}  {header.page_name}")
        pdf.drawRightString(
            PAGE_SIZE[0] - MARGIN, top - 12, "  ".join(t for t in header_texts[:3] if t)
        )
        pdf.drawCentredString(PAGE_SIZE[0] / 2, top - 12, header_texts[5])
        top -= 20
    pdf.setLineWidth(2)
    pdf.line(MARGIN, top, PAGE_SIZE[0] - MARGIN, top)
    top -= 10

    skyline = [top] * COLUMNS
    modules = []
    for item, picture, span in zip(items, pictures, spans, strict=True):
        span = span or default_span(item, picture)
        start = max(range(COLUMNS - span + 1), key=lambda c: (min(skyline[c : c + span]), -c))
        y = min(skyline[start : start + span])
        x = MARGIN + start * (setter.column + GUTTER)
        module, height = setter.module(item, picture, span, x, y)
        modules.append(module)
        for column in range(start, start + span):
            skyline[column] = y - height - MODULE_GAP

    lines = [line for module in modules for line in module.lines]
    if interleave:
        lines.sort(key=lambda line: (-round(line.y), line.x))
    for module in modules:
        for image, x, y, w, h in module.pictures:
            pdf.drawImage(_jpeg(image), x, y, w, h)
        pdf.setLineWidth(0.5)
        pdf.line(*module.rule)
    for line in lines:
        text = pdf.beginText(line.x, line.y)
        text.setFont(line.font, line.size)
        text.setFillColorRGB(*line.colour)
        # Character spacing is graphics state: it outlives the text object,
        # so every line sets its own (0 unless justified).
        spacing = 0.0
        if line.width and len(line.text) > 1:
            spare = line.width - sum(
                line.size if not ch.isascii() else stringWidth(ch, line.font, line.size)
                for ch in line.text
            )
            if 0 < spare < line.size * 2:
                spacing = spare / (len(line.text) - 1)
        text.setCharSpace(spacing)
        text.textOut(line.text)
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def compose_stored_page(page, paper, **options):
    """Return the PDF of a stored page's copy, in page order, with its photos' pictures."""
    from PIL import Image

    from articles.importer.export import page_items
    from articles.models import Article

    items = page_items(page)
    articles = (
        page.articles.exclude(status__in=[Article.Status.SPIKED, Article.Status.WITHDRAWN])
        .order_by("position", "pk")
        .prefetch_related("article_photos__photo")
    )
    pictures = []
    for article in articles:
        use = next((u for u in article.article_photos.all() if u.photo.image), None)
        if use is None:
            pictures.append(None)
            continue
        with use.photo.image.open("rb") as handle:
            pictures.append(Image.open(handle).convert("RGB"))
    # Continuations of stories begun on other pages come last; they bring no picture.
    pictures += [None] * (len(items) - len(pictures))
    header = Header(
        paper=paper,
        date=page.edition.date,
        number=page.edition.number,
        page_number=page.number,
        page_name=page.name,
        editor=page.editor.name if page.editor else "",
    )
    return compose_page(items, header, pictures=pictures, **options)
