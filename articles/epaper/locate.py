"""Find each article on a printed page from the page PDF's text layer.

The page's characters are read with their boxes, punctuation and spaces
dropped. Each article's own text (kicker, headline, subheadline, paragraphs,
captions) is cut into overlapping runs of SHINGLE characters; a run that
occurs in only one article of the page is looked up on the page, and the
characters it covers are that article's. Those characters are grouped by
nearness on the page (a two-column article is two groups side by side that
touch), and the largest group, with any group of a fair size beside it, makes
the zone. A picture printed right above or below an article with photos is
added to its zone. Nothing here depends on the order in which the layout
program wrote the text, beyond the characters of one line.
"""

import statistics
import unicodedata
from dataclasses import dataclass

from articles.epaper.render import Limits, PagePDFError, load_document, load_page

SHINGLE = 6
# An article counts as found when this share of its text is on the page.
MIN_SCORE = 0.3
# A group of characters joins the zone when it has this share of the largest.
MIN_GROUP_SHARE = 0.25


@dataclass
class Copy:
    """What is looked for: an article's texts, and whether it prints a picture."""

    key: object
    texts: list
    has_picture: bool = False


@dataclass
class Zone:
    """Where a copy was found, as fractions of the page from its top left corner."""

    left: float
    top: float
    width: float
    height: float
    score: float


@dataclass
class _Char:
    char: str
    left: float
    bottom: float
    right: float
    top: float


def normalize(text):
    """Return text as it is compared: NFKC, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def _shingles(text):
    text = normalize(text)
    if len(text) < SHINGLE:
        return {text} if len(text) >= 3 else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def read_page(page, max_chars=None):
    """Return the page's size and its letters and digits, each with its box (PDF points)."""
    import pypdfium2.raw as pdfium_c  # where a PDF is read (see render.load_document)

    width, height = page.get_size()
    textpage = page.get_textpage()
    count = textpage.count_chars()
    if max_chars is not None and count > max_chars:
        textpage.close()
        raise PagePDFError("chars", count=count, limit=max_chars)
    chars = []
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        if not code:
            continue
        char = normalize(chr(code))
        if len(char) != 1:
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left or top <= bottom:
            continue
        chars.append(_Char(char, left, bottom, right, top))
    pictures = [obj.get_bounds() for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))]
    textpage.close()
    return width, height, chars, pictures


def _groups(positions, chars, reach):
    """Group matched characters into runs, then runs that touch on the page."""
    runs = []
    for position in sorted(positions):
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    boxes = []
    for run in runs:
        members = [chars[p] for p in run]
        boxes.append(
            [
                min(c.left for c in members),
                min(c.bottom for c in members),
                max(c.right for c in members),
                max(c.top for c in members),
                len(run),
            ]
        )
    # Union-find over runs whose boxes, grown by reach, overlap.
    parent = list(range(len(boxes)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if (
                a[0] - reach <= b[2]
                and b[0] - reach <= a[2]
                and a[1] - reach <= b[3]
                and b[1] - reach <= a[3]
            ):
                parent[find(i)] = find(j)
    merged = {}
    for i, box in enumerate(boxes):
        root = find(i)
        if root in merged:
            group = merged[root]
            group[0], group[1] = min(group[0], box[0]), min(group[1], box[1])
            group[2], group[3] = max(group[2], box[2]), max(group[3], box[3])
            group[4] += box[4]
        else:
            merged[root] = list(box)
    return sorted(merged.values(), key=lambda group: -group[4])


def _occurrences(shingle, text, index):
    if len(shingle) == SHINGLE:
        return index.get(shingle, ())
    found, start = [], text.find(shingle)
    while start != -1:
        found.append(start)
        start = text.find(shingle, start + 1)
    return found


def _overlap(a_start, a_end, b_start, b_end):
    return max(0.0, min(a_end, b_end) - max(a_start, b_start))


def locate(data, copies, limits=None):
    """Return {copy.key: Zone} for every copy found on the page PDF in data.

    In this process: for a file that is not known to be harmless, use
    isolation.locate, which runs this under the caps.
    """
    limits = limits or Limits.from_settings()
    document, _inspection = load_document(data, limits)
    try:
        page = load_page(document, limits)
        try:
            return locate_page(page, copies, max_chars=limits.max_chars)
        finally:
            page.close()
    finally:
        document.close()


def locate_page(page, copies, max_chars=None):
    """Return {copy.key: Zone} for every copy found on the page (a loaded PdfPage)."""
    width, height, chars, pictures = read_page(page, max_chars)
    if not chars:
        return {}
    text = "".join(c.char for c in chars)
    line = statistics.median(c.top - c.bottom for c in chars)
    index = {}
    for start in range(len(text) - SHINGLE + 1):
        index.setdefault(text[start : start + SHINGLE], []).append(start)

    shingles = {copy.key: set().union(*map(_shingles, copy.texts)) for copy in copies}
    owners = {}
    for key, own in shingles.items():
        for shingle in own:
            owners.setdefault(shingle, set()).add(key)

    boxes = {}
    for copy in copies:
        length = sum(len(normalize(t)) for t in copy.texts)
        if not length:
            continue
        positions = set()
        for shingle in shingles[copy.key]:
            if len(owners[shingle]) > 1:
                continue
            for start in _occurrences(shingle, text, index):
                positions.update(range(start, start + len(shingle)))
        score = min(1.0, len(positions) / length)
        if score < MIN_SCORE:
            continue
        groups = _groups(positions, chars, reach=1.5 * line)
        main = groups[0]
        box = list(main[:4])
        for group in groups[1:]:
            if group[4] >= MIN_GROUP_SHARE * main[4]:
                box = [
                    min(box[0], group[0]),
                    min(box[1], group[1]),
                    max(box[2], group[2]),
                    max(box[3], group[3]),
                ]
        boxes[copy.key] = (box, score, copy.has_picture)

    _add_pictures(boxes, pictures, line)

    zones = {}
    pad = 0.4 * line
    for key, (box, score, _has_picture) in boxes.items():
        left, bottom = max(0.0, box[0] - pad), max(0.0, box[1] - pad)
        right, top = min(width, box[2] + pad), min(height, box[3] + pad)
        zones[key] = Zone(
            left=left / width,
            top=(height - top) / height,
            width=(right - left) / width,
            height=(top - bottom) / height,
            score=round(score, 3),
        )
    return zones


def _add_pictures(boxes, pictures, line):
    """Give each picture to the article with photos printed right above or below it."""
    for left, bottom, right, top in pictures:
        best, best_gap = None, 4 * line
        for key, (box, _score, has_picture) in boxes.items():
            if not has_picture:
                continue
            shared = _overlap(left, right, box[0], box[2])
            if shared < 0.5 * min(right - left, box[2] - box[0]):
                continue
            gap = max(box[1] - top, bottom - box[3], 0.0)
            if gap < best_gap:
                best, best_gap = key, gap
        if best is not None:
            box = boxes[best][0]
            box[0], box[1] = min(box[0], left), min(box[1], bottom)
            box[2], box[3] = max(box[2], right), max(box[3], top)
