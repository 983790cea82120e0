"""Newspaper pages as plain text: parse them into items, print them back.

The layout is that of a page copied out of a city daily: headline lines, a
dateline such as 本报讯(记者 司勇 通讯员 米雪) leading the first paragraph,
paragraphs separated by blank lines and sometimes broken mid-sentence by the
columns, and photo news as a caption followed by a credit line 宋卫东 李学军 摄.

Items are anchored on what is unambiguous (datelines, byline lines, photo
credits); headlines are the short unpunctuated lines just above a dateline.
Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field

from ..bodytext import ends_sentence, join_broken_lines

# Printed role labels, longest first so 摄影记者 wins over 摄影 and 记者.
ROLE_LABELS = {
    "特约记者": "reporter",
    "见习记者": "reporter",
    "摄影记者": "photographer",
    "记者": "reporter",
    "通讯员": "correspondent",
    "实习生": "intern",
    "摄影": "photographer",
    "编辑": "editor",
    "作者": "author",
}

_LABELS = "|".join(sorted(ROLE_LABELS, key=len, reverse=True))
_SPACE = r"[ \t\u3000]"
# Chinese names are two to four characters; minority names join parts with ·.
_NAME = re.compile(
    r"^(?:[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,10}(?:[·•][\u3400-\u9fff]{1,10})+"
    r"|[A-Z][A-Za-z.'-]{1,30})$"
)
_SOURCE = (
    r"本报讯|本报[^\s(（]{1,12}?电"
    r"|(?:新华社|中新社|中国新闻社|人民日报|央视网?)[^\s(（]{0,16}?电"
)
_DATELINE = re.compile(
    rf"^(?P<source>{_SOURCE}){_SPACE}*"
    rf"(?:[（(](?P<credits>[^()（）]{{1,80}})[)）])?{_SPACE}*(?P<rest>.*)$"
)
# A byline on a line of its own: 本报记者 刘鑫焱 付明丽.
_BYLINE_LINE = re.compile(rf"^(?:本报)?(?:{_LABELS}){_SPACE}*\S")
# A credit line under a picture: 宋卫东 李学军 摄, (本报记者 王硕 摄).
_CREDIT_LINE = re.compile(rf"^[（(]?(?P<credits>[^()（）。！？,，]{{2,60}}?){_SPACE}*摄[)）]?$")
# A credit at the end of a caption: …路网。 王硕 摄 / …路网。(王硕 摄)
_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*[。！？!?”’」』)）])"
    rf"{_SPACE}*(?:[（(](?P<bracketed>[^()（）]{{2,40}}?){_SPACE}*摄[)）]"
    rf"|(?P<plain>[^()（）。！？,，]{{2,40}}?){_SPACE}+摄)$"
)
# Headlines end without sentence punctuation (but may end with ！ or ？).
_NOT_HEADING_END = re.compile(r"[。；;：:，,、]$")
HEADING_MAX_CHARS = 50
MAX_HEADING_LINES = 3


class PageFormatError(ValueError):
    """The text is not a page this parser can read; the message says where."""


@dataclass
class ParsedByline:
    name: str
    role: str


@dataclass
class PageItem:
    kind: str  # "article" or "photo"
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    source: str = ""
    bylines: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    line: int = 0  # where the item starts in the text, for messages

    def to_dict(self):
        return {
            "kind": self.kind,
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "source": self.source,
            "bylines": [{"name": b.name, "role": b.role} for b in self.bylines],
            "paragraphs": list(self.paragraphs),
        }


def parse_credits(text, default_role=None):
    """Return the bylines in '记者 司勇 通讯员 米雪', or None if it is not a credit."""
    tokens = [t for t in re.split(r"[\s\u3000、，,/]+", text.strip()) if t]
    role, bylines = default_role, []
    for token in tokens:
        if token.startswith("本报"):
            token = token[2:]
        label = next((lb for lb in ROLE_LABELS if token.startswith(lb)), None)
        if label:
            role = ROLE_LABELS[label]
            token = token[len(label) :]
            if not token:
                continue
        if not _NAME.match(token):
            return None
        bylines.append(ParsedByline(token, role or "author"))
    return bylines or None


def _photo_credit(text):
    """Return photographer bylines for the names in a credit, or None."""
    credits = parse_credits(text, default_role="photographer")
    if credits is None:
        return None
    return [ParsedByline(b.name, "photographer") for b in credits]


@dataclass
class _Line:
    number: int  # 1-based line number in the input
    text: str


def _is_heading_like(text):
    return len(text) <= HEADING_MAX_CHARS and not _NOT_HEADING_END.search(text)


def _match_dateline(text):
    match = _DATELINE.match(text)
    if not match:
        return None
    bylines = []
    if match["credits"] is not None:
        bylines = parse_credits(match["credits"])
        if bylines is None:
            return None
    return match["source"], bylines, match["rest"].strip()


def _match_byline_line(text):
    if len(text) > 60 or not _BYLINE_LINE.match(text) or ends_sentence(text):
        return None
    return parse_credits(text)


def _match_credit_line(text):
    match = _CREDIT_LINE.match(text)
    return _photo_credit(match["credits"]) if match else None


def _match_trailing_credit(text):
    match = _TRAILING_CREDIT.match(text)
    if not match:
        return None
    credits = _photo_credit(match["bracketed"] or match["plain"])
    return (match["caption"].strip(), credits) if credits else None


@dataclass
class _Anchor:
    kind: str  # "dateline", "byline", "credit", "trailing"
    index: int
    start: int = 0  # first line index of the item
    headings: list = field(default_factory=list)
    source: str = ""
    bylines: list = field(default_factory=list)
    rest: str = ""  # text after the dateline on its line
    caption_start: int = 0


def _is_complete(line):
    """Return whether a line closes whatever came before it."""
    return ends_sentence(line) or _match_credit_line(line) is not None


def _heading_group(lines, index, floor):
    """Return the index of the first heading line above lines[index]."""
    start = index
    while (
        start > floor
        and index - start < MAX_HEADING_LINES
        and _is_heading_like(lines[start - 1].text)
    ):
        start -= 1
    # A long unfinished line just above means the first "heading" is really
    # the rest of a paragraph broken by the layout.
    while start < index and start > floor:
        above = lines[start - 1].text
        if len(above) > HEADING_MAX_CHARS and not _is_complete(above):
            start += 1
        else:
            break
    return start


def _caption_start(lines, index, floor):
    """Return where the caption paragraph ending at lines[index] begins."""
    start = index
    while start > floor and not _is_complete(lines[start - 1].text):
        start -= 1
    return start


def _find_anchors(lines):
    anchors = []
    for i, line in enumerate(lines):
        if dateline := _match_dateline(line.text):
            source, bylines, rest = dateline
            anchors.append(_Anchor("dateline", i, source=source, bylines=bylines, rest=rest))
        elif (bylines := _match_byline_line(line.text)) is not None:
            anchors.append(_Anchor("byline", i, bylines=bylines))
        elif (bylines := _match_credit_line(line.text)) is not None:
            anchors.append(_Anchor("credit", i, bylines=bylines))
        elif trailing := _match_trailing_credit(line.text):
            caption, bylines = trailing
            anchors.append(_Anchor("trailing", i, bylines=bylines, rest=caption))
    return anchors


def _place_anchors(lines, anchors):
    """Work out where each item starts, from the anchors, top to bottom."""
    floor = 0  # nothing above this line belongs to the next item
    for anchor in anchors:
        if anchor.kind in ("dateline", "byline"):
            anchor.start = _heading_group(lines, anchor.index, floor)
            anchor.headings = [line.text for line in lines[anchor.start : anchor.index]]
            if not anchor.headings:
                raise PageFormatError(
                    f"line {lines[anchor.index].number}: a dateline or byline with no "
                    f"headline above it: {lines[anchor.index].text[:40]}"
                )
        else:
            last = anchor.index - 1 if anchor.kind == "credit" else anchor.index
            if last < floor:
                raise PageFormatError(
                    f"line {lines[anchor.index].number}: a photo credit with no caption "
                    f"above it: {lines[anchor.index].text[:40]}"
                )
            anchor.caption_start = _caption_start(lines, last, floor)
            anchor.start = anchor.caption_start
            above = anchor.start - 1
            # A photo news item may carry a one-line headline of its own.
            if (
                above >= floor
                and _is_heading_like(lines[above].text)
                and (above == floor or _is_complete(lines[above - 1].text))
            ):
                anchor.start = above
                anchor.headings = [lines[above].text]
        floor = anchor.index + 1
    return anchors


def _headings(texts):
    if len(texts) == 1:
        return "", texts[0], ""
    if len(texts) == 2:
        return "", texts[0], texts[1]
    return texts[0], texts[1], texts[2]


def parse_page(text):
    """Parse a plain-text page into a list of PageItem, in page order."""
    lines = [
        _Line(number, raw.strip())
        for number, raw in enumerate(text.splitlines(), start=1)
        if raw.strip()
    ]
    if not lines:
        raise PageFormatError("the page is empty")
    anchors = _place_anchors(lines, _find_anchors(lines))
    if not anchors:
        raise PageFormatError(
            "nothing recognisable: no headline with a dateline (本报讯(记者 …)) "
            "and no photo credit (… 摄) was found"
        )
    if anchors[0].start > 0:
        first = lines[0]
        raise PageFormatError(
            f"line {first.number}: text before the first headline: {first.text[:40]}"
        )

    items = []
    for n, anchor in enumerate(anchors):
        end = anchors[n + 1].start if n + 1 < len(anchors) else len(lines)
        if anchor.kind in ("dateline", "byline"):
            kicker, headline, subheadline = _headings(anchor.headings)
            body = [anchor.rest] if anchor.rest else []
            body += [line.text for line in lines[anchor.index + 1 : end]]
            items.append(
                PageItem(
                    kind="article",
                    kicker=kicker,
                    headline=headline,
                    subheadline=subheadline,
                    source=anchor.source,
                    bylines=anchor.bylines,
                    paragraphs=join_broken_lines(body),
                    line=lines[anchor.start].number,
                )
            )
        else:
            caption = [line.text for line in lines[anchor.caption_start : anchor.index]]
            if anchor.kind == "trailing":
                caption.append(anchor.rest)
            leftover = lines[anchor.index + 1 : end]
            if leftover:
                raise PageFormatError(
                    f"line {leftover[0].number}: text after a photo credit that belongs "
                    f"to no headline: {leftover[0].text[:40]}"
                )
            items.append(
                PageItem(
                    kind="photo",
                    headline=anchor.headings[0] if anchor.headings else "",
                    bylines=anchor.bylines,
                    paragraphs=join_broken_lines(caption),
                    line=lines[anchor.start].number,
                )
            )
    return items
