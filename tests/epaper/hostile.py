"""Page PDFs that ask too much, written byte by byte (PDF objects, a cross-reference table).

Each is small on disk and costly to read: the figures are those of the
files that took workers down (issue 25).
"""

import zlib
from functools import cache

HELVETICA = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def pdf(objects, *, xref_stream=False):
    """A PDF of the given object bodies (numbered from 1; 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def deflated(chunk, times):
    """chunk repeated times, deflated piece by piece (never whole in memory)."""
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for _ in range(times)) + packer.flush()


def page(
    width,
    height,
    contents=b"",
    *,
    resources=b"<< >>",
    page_extra=b"",
    catalog_extra=b"",
    extra_objects=(),
):
    """One page of width × height points; contents is a stream body (its dictionary and data)."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
            b"/Resources %s %s>>" % (width, height, resources, page_extra),
            contents or stream(b"0.5 g 20 20 100 100 re f"),
            *extra_objects,
        ]
    )


def strip_page():
    """A few hundred bytes: a page 50 points wide and 5,000 tall (256 megapixels at 1,600 wide)."""
    return page(50, 5000, stream(b"0 0 0 rg 0 0 50 5000 re f"))


def huge_page():
    """A page 20,000 points square."""
    return page(20000, 20000)


@cache
def inflating_contents(megabytes=300):
    """A broadsheet page whose content stream inflates to `megabytes` (a few hundred KB on disk)."""
    line = b"1 0 0 1 0 0 cm\n"
    data = deflated(line * 65536, megabytes * 1_000_000 // (len(line) * 65536))
    return page(842, 1191, stream(data, b" /Filter /FlateDecode"))


@cache
def text_runs(count=150_000):
    """A broadsheet page of `count` separate text runs."""
    runs = b"".join(
        b"BT /F1 6 Tf %d %d Td (Run %d) Tj ET\n" % (20 + i % 780, 20 + (i // 780) % 1150, i)
        for i in range(count)
    )
    return page(
        842, 1191, stream(zlib.compress(runs), b" /Filter /FlateDecode"), resources=HELVETICA
    )


@cache
def page_tree_in_object_stream(megabytes=400):
    """The page tree inside an object stream padded to `megabytes`: opening the file inflates it."""
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page_object = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 1191] >>"
    header = b"2 0 3 %d " % len(pages)
    packer = zlib.compressobj(9)
    data = packer.compress(header + pages + page_object)
    data += b"".join(packer.compress(b" " * 1_000_000) for _ in range(megabytes)) + packer.flush()
    out = bytearray(b"%PDF-1.7\n")
    catalog = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    objstm = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 2 /First %d /Length %d /Filter /FlateDecode >>\n" % (
        len(header),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    xref = len(out)
    rows = [(0, 0, 65535), (1, catalog, 0), (2, 4, 0), (2, 4, 1), (1, objstm, 0), (1, xref, 0)]
    table = b"".join(
        bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for kind, a, b in rows
    )
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(
        table
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def with_active_content():
    """A broadsheet page that runs JavaScript when opened, and a link that launches a program."""
    script = b"<< /Type /Action /S /JavaScript /JS (app.alert('hello')) >>"
    return page(
        842,
        1191,
        catalog_extra=b"/OpenAction 5 0 R /Names << /JavaScript << /Names [(hello) 5 0 R] >> >> ",
        page_extra=b"/Annots [6 0 R 7 0 R] /AA << /O 5 0 R >> ",
        extra_objects=[
            script,
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
            b"/A << /S /Launch /F (calc.exe) >> >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 100 100 200] "
            b"/A << /S /URI /URI (https://example.com/) >> >>",
        ],
    )


@cache
def many_characters(count=150_000):
    """A broadsheet page of one text run of `count` characters: one object, too much text."""
    lines = b"".join(b"(%s) '\n" % (b"x" * 150) for _ in range(count // 150))
    runs = b"BT /F1 1 Tf 1 TL 20 1170 Td\n" + lines + b"ET\n"
    return page(
        842, 1191, stream(zlib.compress(runs), b" /Filter /FlateDecode"), resources=HELVETICA
    )


@cache
def costly_drawing(count=99_000):
    """A broadsheet page of `count` half-transparent fills of the whole page, each blended anew."""
    fills = b"q /Half gs 0.5 g 0 0 842 1191 re f Q\n" * count
    return page(
        842,
        1191,
        stream(zlib.compress(fills), b" /Filter /FlateDecode"),
        resources=b"<< /ExtGState << /Half << /Type /ExtGState /ca 0.5 >> >> >>",
    )
