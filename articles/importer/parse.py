"""Newspaper pages as plain text: parse them into items, and say where it guessed.

A page copied out of a paper is headline stacks, datelines and bylines,
paragraphs (apart on blank lines or indented with full-width spaces, and
broken mid-sentence by the columns), pictures with captions and credits, and
jump lines (下转第3版 / 上接第1版). Items are anchored on what is
unambiguous: datelines (本报讯…, 新京报讯…, 新华社…电), byline lines (本报记者 …,
□ 甲乙, 作者：甲乙), jump lines, photo credits (… 摄) and signatures closing a
piece. Headlines are the short unpunctuated lines just above an anchor.

Where the layout leaves a choice (two heading lines: headline and
subheadline, or kicker and headline? a caption between two articles: whose
picture?) the parser takes the likelier reading and records a warning with
the line number, so that an editor can check before the page is written.
Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from articles.copy.bodytext import (
    ends_sentence,
    is_crosshead,
    is_intertitle,
    join_broken_lines,
    join_pieces,
)
from articles.importer.credits import (
    ParsedByline,
    parse_credits,
    read_byline_line,
    read_credit_line,
    read_inline_credits,
    read_signature,
    read_trailing_credit,
)

from .grammar import read_credit_lead, read_source

__all__ = [
    "PageFormatError",
    "PageItem",
    "PagePhoto",
    "ParseResult",
    "ParseWarning",
    "ParsedByline",
    "max_page_bytes",
    "parse_page",
    "split_column",
]

# A page's text is refused past this size (settings.IMPORTER_PAGE_MAX_BYTES
# overrides it). A full broadsheet page is 10–40 KB of text; the cap leaves a
# wide margin and bounds the parse, which is linear in the text's length.
PAGE_MAX_BYTES = 512 * 1024

_SPACE = r"[ \t\u3000]"
# After the source (grammar.py): credits in brackets, if any, then the text.
_CREDITS = re.compile(
    rf"{_SPACE}*(?:[（(【\[]{_SPACE}*(?P<credits>[^()（）【】\[\]]{{1,80}}?){_SPACE}*[)）】\]])?"
    rf"{_SPACE}*[：:]?{_SPACE}*(?P<rest>.*)$"  # X网消息：… prints a colon after the source
)
_PAGE = r"(?P<page>\d{1,3}|[一二三四五六七八九十]{1,3})"
_JUMP_TO = re.compile(
    rf"[（(]{_SPACE}*(?:下转|转){_SPACE}*第?{_SPACE}*{_PAGE}{_SPACE}*版{_SPACE}*[)）]$"
)
_JUMP_FROM = re.compile(
    rf"^[（(]{_SPACE}*(?:上接|紧接|接){_SPACE}*第?{_SPACE}*{_PAGE}{_SPACE}*版{_SPACE}*[)）]"
)
_DASHES = r"(?:——|—|──|--)"
_KICKER = re.compile(rf"{_DASHES}$")
# A first heading line that ends saying who speaks is a kicker (引题) over the headline.
_KICKER_CUE = re.compile(r"(?:建议|热议|表示|指出|强调|认为|透露|呼吁|倡议|提醒|寄语|坦言|直言)$")
_SUBHEADLINE = re.compile(rf"^{_DASHES}")
# A column label (栏目/专栏) on a line of its own: 【民生观察】 or （一线见闻）.
_COLUMN_LINE = re.compile(r"^[（(【\[](?P<column>[^()（）【】\[\]]{2,30})[)）】\]]$")
# …or after the headline: 老街换新颜（城市更新·一线见闻）.
_TRAILING_COLUMN = re.compile(r"^(?P<headline>.*\S)\s*[（(](?P<column>[^()（）]{2,30})[)）]$")
_PICTURE_MARK = re.compile(r"^(?:图为|图[：:]|[上下左右]图|图[①-⑩\d]|[▲△↑↓←→])")
# Headlines end without sentence punctuation (but may end with ！ or ？),
# even behind a closing quote: …老城的念想就在。” is the end of a paragraph.
_NOT_HEADING_END = re.compile(r"[。；;：:，,、…][\"'”’」』）)\]】]*$")
HEADING_MAX_CHARS = 50
MAX_HEADING_LINES = 4
# Indented lines that make a page one set with indents.
INDENTED_PAGE_LINES = 2
# Blank lines that part items on pages with gaps (a stack's lines sit closer).
ITEM_GAP = 2
# A caption line the layout broke is long; a short line above a caption is its headline.
CAPTION_LINE_MIN_CHARS = 30
# Captions of an article's own picture are short; photo news tells a story.
ARTICLE_CAPTION_MAX_CHARS = 60
_NUMERALS = "一二三四五六七八九十"
# How much of a paragraph's end tells whether it is finished (a stop and its closing quotes).
TAIL_CHARS = 64

# Line kinds.
TEXT, DATELINE, BYLINE, SIGNATURE, CREDIT, CAPTIONED, JUMP_FROM, JUMP_TO = (
    "text",
    "dateline",
    "byline",
    "signature",
    "credit",
    "captioned",
    "jump_from",
    "jump_to",
)


class PageFormatError(ValueError):
    """The text is not a page this parser can read; the message says where and why."""

    def __init__(self, reason, line=None, text=""):
        self.reason, self.line, self.text = reason, line, text
        if line is None:
            message = reason
        elif text:
            message = _("line %(line)d: %(reason)s: %(text)s") % {
                "line": line,
                "reason": reason,
                "text": text[:40],
            }
        else:
            message = _("line %(line)d: %(reason)s") % {"line": line, "reason": reason}
        super().__init__(message)


@dataclass
class ParseWarning:
    """A place where the parser had to guess, and what it decided."""

    line: int
    code: str  # headings, column, credits, picture, signature, intertitle
    message: str

    def to_dict(self):
        return {"line": self.line, "code": self.code, "message": self.message}


@dataclass
class PagePhoto:
    """A picture printed with an article: its caption and photographers."""

    caption: str
    bylines: list = field(default_factory=list)
    line: int = 0

    def to_dict(self):
        return {
            "caption": self.caption,
            "bylines": [{"name": b.name, "role": b.role} for b in self.bylines],
            "line": self.line,
        }


@dataclass
class PageItem:
    kind: str  # "article" or "photo"
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    source: str = ""
    bylines: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    column: str = ""  # 专栏·系列, printed in brackets after the headline
    intertitles: list = field(default_factory=list)  # 小标题, also among the paragraphs
    photos: list = field(default_factory=list)  # an article's own pictures
    continued_on: int | None = None  # 下转第N版: the rest is on page N
    continued_from: int | None = None  # 上接第N版: this is the rest of a piece begun on page N
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
            "column": self.column,
            "intertitles": list(self.intertitles),
            "photos": [photo.to_dict() for photo in self.photos],
            "continued_on": self.continued_on,
            "continued_from": self.continued_from,
            "line": self.line,
        }


@dataclass
class ParseResult:
    items: list
    warnings: list

    def to_dict(self):
        return {
            "items": [item.to_dict() for item in self.items],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


def split_column(headline):
    """Split 老街换新颜（城市更新·一线见闻） into the headline and its column label.

    A label joins series with · or runs to four characters or more; shorter
    brackets are part of the headline: 某某条例（草案）keeps 草案, …（上） keeps 上.
    """
    match = _TRAILING_COLUMN.match(headline)
    if match:
        label = match["column"]
        if "·" in label or "•" in label or len(label) >= 4:
            return match["headline"], label
    return headline, ""


def page_number(text):
    """Return the page number written 3 or 三 in a jump line."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        text = "一" + text
    if len(text) == 1:
        return _NUMERALS.index(text) + 1
    tens, _ten, *ones = text
    return (_NUMERALS.index(tens) + 1) * 10 + (_NUMERALS.index(ones[0]) + 1 if ones else 0)


@dataclass(eq=False)
class _Line:
    index: int
    number: int  # 1-based line number in the input
    text: str
    indent: bool  # the line starts with full-width spaces (a paragraph's first line)
    gap: int  # blank lines just above it
    kind: str = TEXT
    bylines: list = field(default_factory=list)
    source: str = ""
    rest: str = ""  # the text after a dateline or an 上接 line; a caption before its credit
    page: int | None = None  # the page of a jump line, or of 下转 ending a text line
    onward: int | None = None  # 下转 ending the line: the story goes on on that page
    notes: list = field(default_factory=list)  # guesses made reading the line
    surnamed: bool = True  # a byline line whose bare names all start with a surname


def _read_lines(text):
    lines, gap = [], 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip(" \t\r\u3000\ufeff")
        if not stripped:
            gap += 1
            continue
        indent = bool(re.match(r"^(?:\u3000|\s{2,})", raw.lstrip("\ufeff")))
        line = _Line(len(lines), number, stripped, indent, gap)
        _classify(line)
        lines.append(line)
        gap = 0
    return lines


def _classify(line):
    """Tell what kind of line this is, from the line alone."""
    text = line.text
    if match := _JUMP_FROM.match(text):
        line.kind, line.page = JUMP_FROM, page_number(match["page"])
        line.rest = text[match.end() :].strip()
        if onward := _JUMP_TO.search(line.rest):
            line.onward = page_number(onward["page"])
            line.rest = line.rest[: onward.start()].rstrip()
        return
    if match := _JUMP_TO.search(text):
        line.page = line.onward = page_number(match["page"])
        line.text = text = text[: match.start()].rstrip()
        if not text:
            line.kind = JUMP_TO
            return
    if line.page is None:
        if (credits := read_credit_line(text)) is not None:
            line.kind, line.bylines = CREDIT, credits
            return
        if trailing := read_trailing_credit(text):
            line.kind, (line.rest, line.bylines) = CAPTIONED, trailing
            return
    if (found := read_source(text)) is not None:
        source, end = found
        match = _CREDITS.match(text, end)
        line.kind, line.source, line.rest = DATELINE, source, match["rest"].strip()
        if match["credits"] is not None:
            # Names in a dateline's brackets without a role are its reporters: （唐贵江 关悦）.
            bylines = parse_credits(match["credits"], default_role="reporter")
            if bylines is None:
                bracket = text[end : match.start("rest")].strip()
                line.rest = bracket + line.rest
                line.notes.append(("bracket", bracket))
            else:
                line.bylines = bylines
        elif inline := read_inline_credits(line.rest):
            line.bylines, line.rest = inline.bylines, inline.rest
            line.notes += inline.guesses
        return
    if (lead := read_credit_lead(text)) is not None and (bylines := parse_credits(lead[0])):
        line.kind, line.bylines, line.rest = DATELINE, bylines, text[lead[1] :].strip()
        return
    if line.page is None:
        if byline := read_byline_line(text):
            line.kind, line.bylines, line.surnamed = BYLINE, byline.bylines, byline.surnamed
            return
        if (bylines := read_signature(text)) is not None:
            line.kind, line.bylines = SIGNATURE, bylines
            return


# Why a picture between items went where it did, appended to the warning.
_RULES = {
    "credit": lambda: _("; its photographer is named in that article's byline"),
    "mark": lambda: _("; its caption is marked as an article's picture"),
    "layout": lambda: _("; it stands nearer to it on the page"),
    "caption": lambda: _("; the gaps are even and its caption shows one scene"),
    "story": lambda: _("; the gaps are even and its caption tells a story of its own"),
}


def _tail(parts):
    """Return the end of a paragraph held as a list of lines: enough to tell how it ends."""
    return "".join(parts[-3:])[-TAIL_CHARS:]


# A section signed at its end after its last sentence: …的情况。新京报记者　韩宇明
_CREDIT_TAIL = re.compile(
    r"[。！？!?”][^。！？!?]{0,12}(?:记者|通讯员)[ \u3000]*[\u4e00-\u9fff]{2,4}$"
)


def _finished(parts):
    """Return whether a paragraph held as a list of lines is complete."""
    tail = _tail(parts)
    return ends_sentence(tail) or bool(_CREDIT_TAIL.search(tail))


def _heading_like(line):
    return (
        line.kind == TEXT
        and line.page is None
        and len(line.text) <= HEADING_MAX_CHARS
        and not _NOT_HEADING_END.search(line.text)
    )


@dataclass(eq=False)
class _Block:
    """A picture: caption lines and the credit under (or ending) them."""

    top: int
    bottom: int
    paragraphs: list
    bylines: list
    heading: _Line | None = None  # a headline of its own, for photo news
    number: int = 0  # line number of the caption's first line

    @property
    def caption(self):
        return "\n\n".join(self.paragraphs)


@dataclass(eq=False)
class _Head:
    """An anchor that starts an item: a dateline, a byline line or an 上接 line."""

    index: int
    dateline: int | None = None  # a dateline right under a byline line
    start: int = 0
    headings: list = field(default_factory=list)
    photos: list = field(default_factory=list)  # pictures between headline and dateline

    @property
    def last(self):
        return self.dateline if self.dateline is not None else self.index


@dataclass(eq=False)
class _Seg:
    kind: str  # text, photo, sig, jump
    line: _Line | None = None
    block: _Block | None = None


@dataclass(eq=False)
class _Draft:
    head: _Head | None = None  # None: a piece found by its signature
    segs: list = field(default_factory=list)
    sig: _Line | None = None
    continued_on: int | None = None
    picture: _Block | None = None  # photo news, or a picture yet to be placed
    floating: bool = False  # a picture with no article above it in its region
    top_of_page: bool = False


class _Page:
    def __init__(self, text):
        self.lines = _read_lines(text)
        self.warnings = []
        # A page set with full-width indents: there the indent starts a paragraph,
        # also in an item of one paragraph.
        self.indented = sum(1 for line in self.lines if line.indent) >= INDENTED_PAGE_LINES

    def warn(self, line, code, message):
        self.warnings.append(ParseWarning(line.number, code, message))

    # --- anchors and their headlines ------------------------------------

    def _block(self, bottom, floor):
        lines = self.lines
        line = lines[bottom]
        if line.kind == CAPTIONED:
            top, parts = bottom, [line.rest]
        else:
            top = bottom - 1
            if top < floor or lines[top].kind != TEXT or lines[top].page is not None:
                raise PageFormatError(
                    _("a photo credit with no caption above it"), line.number, line.text
                )
            parts = [lines[top].text]
        while top - 1 >= floor:
            above = lines[top - 1]
            if (
                above.kind != TEXT
                or above.page is not None
                or ends_sentence(above.text)
                or len(above.text) <= CAPTION_LINE_MIN_CHARS
            ):
                break
            top -= 1
            parts.insert(0, above.text)
        return _Block(top, bottom, join_broken_lines(parts), line.bylines, None, lines[top].number)

    def _under_headline(self, index):
        """Return whether the line at index sits under a headline (perhaps with a picture between)."""
        above = index - 1
        if above >= 0 and self.lines[above].kind in (CREDIT, CAPTIONED):
            try:
                above = self._block(above, 0).top - 1
            except PageFormatError:
                return False
        return above >= 0 and _heading_like(self.lines[above])

    def _find_heads(self):
        heads = []
        for index, line in enumerate(self.lines):
            if line.kind == JUMP_FROM:
                heads.append(_Head(index))
            elif line.kind == DATELINE:
                previous = heads[-1] if heads else None
                if (
                    previous is not None
                    and previous.index == index - 1
                    and self.lines[previous.index].kind == BYLINE
                ):
                    previous.dateline = index
                else:
                    heads.append(_Head(index))
            elif line.kind == BYLINE and self._under_headline(index):
                heads.append(_Head(index))
        return heads

    def _place_heads(self, heads):
        lines, floor = self.lines, 0
        for head in heads:
            anchor = lines[head.index]
            below = head.index - 1
            while below >= floor and lines[below].kind in (CREDIT, CAPTIONED):
                block = self._block(below, floor)
                if block.top - 1 >= floor and _heading_like(lines[block.top - 1]):
                    head.photos.insert(0, block)
                    below = block.top - 1
                else:
                    break
            top = below + 1
            while (
                top - 1 >= floor
                and below + 1 - (top - 1) <= MAX_HEADING_LINES
                and _heading_like(lines[top - 1])
                # A stack's lines sit closer together than items do: on a page
                # with gaps, a line two blank lines above the stack is not in it.
                and not (top <= below and lines[top].gap >= ITEM_GAP > lines[below + 1].gap)
            ):
                top -= 1
            # A long unfinished line just above means the first "heading" is
            # really the rest of a paragraph broken by the layout.
            while top <= below and top > floor:
                above = lines[top - 1]
                if (
                    above.kind == TEXT
                    and above.page is None
                    and len(above.text) > HEADING_MAX_CHARS
                    and not ends_sentence(above.text)
                ):
                    top += 1
                else:
                    break
            head.headings = lines[top : below + 1]
            if not head.headings:
                raise PageFormatError(
                    _("a dateline or byline with no headline above it"),
                    anchor.number,
                    anchor.text,
                )
            head.start = top
            floor = head.last + 1

    def _read_stack(self, lines):
        """Return kicker, headline, subheadline and column label from a headline stack."""
        column = ""
        stack = []
        for line in lines:
            match = _COLUMN_LINE.match(line.text)
            if match and not column and len(lines) > 1:
                column = match["column"]
            else:
                stack.append(line)
        kickers, subs = [], []
        while len(stack) > 1 and _KICKER.search(stack[0].text):
            kickers.append(stack.pop(0))
        while len(stack) > 1 and _SUBHEADLINE.match(stack[-1].text):
            subs.insert(0, stack.pop())
        texts = [line.text for line in stack]
        first = lines[0]
        if len(stack) == 1:
            headline = texts[0]
        elif len(stack) == 2 and kickers and not subs:
            headline, subs = texts[0], [stack[1]]
        elif len(stack) == 2 and subs and not kickers:
            kickers, headline = [stack[0]], texts[1]
        elif len(stack) == 2 and not kickers and _KICKER_CUE.search(texts[0]):
            # 全国人大常委会组成人员分组审议时建议 / 饮用水安全应有专管部门: the first
            # line says who speaks, the second what they say.
            kickers, headline = [stack[0]], texts[1]
            self.warn(
                first,
                "headings",
                _("two heading lines read as kicker and headline: the first says who speaks"),
            )
        elif len(stack) == 2 and not kickers:
            headline, subs = texts[0], [stack[1]]
            self.warn(
                first,
                "headings",
                _("two heading lines read as headline and subheadline (not kicker and headline)"),
            )
        elif len(stack) == 2:
            headline = " ".join(texts)
            self.warn(first, "headings", _("two lines read as one headline: %s") % headline)
        elif len(stack) == 3 and not kickers and not subs:
            kickers, headline, subs = [stack[0]], texts[1], [stack[2]]
        else:
            kickers, headline, subs = kickers + stack[:1], texts[1], stack[2:] + subs
            self.warn(
                first,
                "headings",
                _("more heading lines than kicker, headline and subheadline; read as “%s”")
                % headline,
            )
        if not column:
            headline, column = split_column(headline)
            if column and "·" not in column and "•" not in column:
                self.warn(
                    first,
                    "column",
                    _("“%s” in brackets after the headline read as its column label") % column,
                )
        kicker = " ".join(line.text for line in kickers)
        subheadline = " ".join(line.text for line in subs)
        return kicker, headline, subheadline, column

    # --- what lies between the anchors ----------------------------------

    def _segments(self, lo, hi, lead_complete):
        lines, segs, blocks, floor = self.lines, [], {}, lo
        for index in range(lo, hi):
            if lines[index].kind in (CREDIT, CAPTIONED):
                block = self._block(index, floor)
                blocks[block.top] = block
                floor = index + 1
        index = lo
        while index < hi:
            if index in blocks:
                block = blocks[index]
                segs.append(_Seg("photo", block=block))
                index = block.bottom + 1
                continue
            line = lines[index]
            kind = {SIGNATURE: "sig", BYLINE: "sig", JUMP_TO: "jump"}.get(line.kind, "text")
            segs.append(_Seg(kind, line=line))
            index += 1
        # A short line right above a caption, after a finished paragraph, is
        # the picture's own headline (or an intertitle, if the article goes on).
        for k, seg in enumerate(segs):
            if seg.kind != "photo" or k == 0:
                continue
            above = segs[k - 1]
            if above.kind != "text" or not _heading_like(above.line):
                continue
            before = segs[k - 2] if k >= 2 else None
            if (before is None and lead_complete) or (
                before is not None and (before.kind != "text" or ends_sentence(before.line.text))
            ):
                seg.block.heading = above.line
        return segs

    @staticmethod
    def _closes(segs, k):
        """Return whether the signature at segs[k] ends its piece."""
        following = segs[k + 1] if k + 1 < len(segs) else None
        return (
            following is None
            or following.kind in ("photo", "jump", "sig")
            or _heading_like(following.line)
        )

    @staticmethod
    def _picture_stands_alone(segs, k, current, signed_next):
        """Return whether a picture with a headline of its own is photo news.

        signed_next[k] says whether the first signature, photo or jump after
        segs[k] is a signature (computed once per region, so that a page of
        many pictures is read in linear time).
        """
        if current is None:
            return True
        following = segs[k + 1] if k + 1 < len(segs) else None
        if following is None or following.kind == "photo":
            return True
        if following.kind != "text" or not _heading_like(following.line):
            return False
        # A headline follows: photo news, if what follows it is a signed piece.
        return signed_next[k]

    @staticmethod
    def _signed_next(segs):
        """For each segment, whether the next signature, photo or jump after it is a signature."""
        signed, answer = False, [False] * len(segs)
        for k in range(len(segs) - 1, -1, -1):
            answer[k] = signed
            if segs[k].kind == "sig":
                signed = True
            elif segs[k].kind in ("photo", "jump"):
                signed = False
        return answer

    def _read_region(self, segs, owner):
        """Split the segments after an anchor into the owner's and the pieces found in them."""
        drafts = [owner] if owner is not None else []
        current = owner if owner is None or owner.continued_on is None else None
        signed_next = self._signed_next(segs)
        for k, seg in enumerate(segs):
            if seg.kind == "photo":
                block = seg.block
                # A piece that is nothing yet but this picture's headline is no piece.
                fresh = (
                    current is not None
                    and current is not owner
                    and len(current.segs) == 1
                    and current.segs[0].line is block.heading
                )
                if block.heading is not None and (
                    fresh or self._picture_stands_alone(segs, k, current, signed_next)
                ):
                    if (
                        current is not None
                        and current.segs
                        and current.segs[-1].line is block.heading
                    ):
                        current.segs.pop()
                        if current is not owner and not current.segs:
                            drafts.remove(current)
                    drafts.append(_Draft(picture=block))
                    current = None
                elif current is None:
                    drafts.append(_Draft(picture=block, floating=True))
                else:
                    current.segs.append(seg)
            elif seg.kind == "sig" and current is not None and self._closes(segs, k):
                signed = self._split_signed(current, seg.line) if current.head else None
                if signed is not None:
                    drafts.append(signed)
                else:
                    current.sig = seg.line
                current = None
            elif seg.kind == "jump":
                if current is None:
                    raise PageFormatError(
                        _("a jump line that follows no article"), seg.line.number, seg.line.text
                    )
                current.continued_on = seg.line.page
                current = None
            else:
                if current is None:
                    current = _Draft(top_of_page=owner is None and not drafts)
                    drafts.append(current)
                current.segs.append(_Seg("text", line=seg.line))
                if seg.line.page is not None:
                    current.continued_on = seg.line.page
                    current = None
        return drafts

    def _split_signed(self, draft, sig):
        """Find the headline of a signed piece printed inside the copy above its signature.

        The copy after an anchored article may hold a commentary with no
        byline of its own, signed at the end. Its headline is a short line
        after a finished paragraph; a wide gap above it, or a stack of two
        heading lines, makes it likelier than the article's own intertitles.
        Return the signed piece, or None if the signature is the article's.
        """
        segs = draft.segs
        candidates = []
        for k in range(1, len(segs) - 1):
            seg, before, after = segs[k], segs[k - 1], segs[k + 1]
            if seg.kind != "text" or after.kind != "text" or not _heading_like(seg.line):
                continue
            if before.kind == "text" and not ends_sentence(before.line.text):
                continue
            score = 2 if seg.line.gap >= 2 else 0
            score += 2 if _heading_like(after.line) else 0
            score += 1 if before.kind == "photo" else 0
            candidates.append((score, k))
        anchor = self.lines[draft.head.index]
        credited = bool(anchor.bylines) and {b.role for b in sig.bylines} != {"editor"}
        if not candidates or (not credited and max(candidates)[0] < 2):
            if credited:
                self.warn(
                    sig, "signature", _("a second credit at the end of the article, added to it")
                )
            return None
        score, k = max(candidates)
        if score < 2 or len(candidates) > 1:
            self.warn(
                segs[k].line,
                "signature",
                _("read as the headline of a piece signed at line %d") % sig.number,
            )
        signed = _Draft(segs=segs[k:], sig=sig)
        draft.segs = segs[:k]
        return signed

    # --- items ----------------------------------------------------------

    def _assemble(self, lines):
        """Return the paragraphs and intertitles of an item's body lines.

        Paragraphs are built as lists of their lines and joined at the end,
        and only their ends are looked at, so that a long paragraph broken
        into many lines is read in linear time.
        """
        paragraphs, intertitles = [], []
        last_is_title = False  # the last paragraph is an intertitle
        by_indent = sum(1 for line in lines if line.indent) >= 2 or (
            self.indented and bool(lines) and lines[0].indent
        )
        pending = []  # the paragraph still open (only for the punctuation rule)
        for k, line in enumerate(lines):
            text = line.text
            following = lines[k + 1] if k + 1 < len(lines) else None
            closed = not paragraphs or last_is_title
            previous_done = closed or _finished(paragraphs[-1])
            if by_indent:
                title = (
                    k > 0
                    and following is not None
                    and following.indent
                    and previous_done
                    and is_intertitle(text)
                )
                if title or line.indent or closed:
                    paragraphs.append([text])
                else:
                    paragraphs[-1].append(text)
            elif not pending and is_crosshead(text):
                paragraphs.append([text])
                title = True
            else:
                title = not pending and k > 0 and following is not None and is_intertitle(text)
                if title:
                    paragraphs.append([text])
                else:
                    pending.append(text)
                    if _finished(pending):
                        paragraphs.append(pending)
                        pending = []
            if title:
                intertitles.append(text)
            last_is_title = title
            if title and not is_crosshead(text):
                self.warn(
                    line,
                    "intertitle",
                    _("short line without closing punctuation kept as an intertitle"),
                )
        if pending:
            paragraphs.append(pending)
        return [join_pieces(parts) for parts in paragraphs], intertitles

    def _note_credits(self, line):
        for kind, word in line.notes:
            if kind == "text":
                message = _("“%s” read as the start of the text, not as a name") % word
            elif kind == "glued":
                message = _("“%s” read as a name running into the text") % word
            else:
                message = _("“%s” after the dateline is not a credit; kept in the text") % word
            self.warn(line, "credits", message)
        if line.kind == BYLINE and not line.surnamed:
            names = "、".join(b.name for b in line.bylines)
            self.warn(
                line,
                "credits",
                _("“%s” read as a byline though it does not start with a common surname") % names,
            )

    @staticmethod
    def _photo(block):
        return PagePhoto(block.caption, list(block.bylines), block.number)

    def _item(self, draft):
        """Build the item of a draft; return (item, its trailing pictures)."""
        lines = self.lines
        segs = draft.segs
        last_text = max((k for k, s in enumerate(segs) if s.kind == "text"), default=-1)
        trailing = [s.block for s in segs[last_text + 1 :] if s.kind == "photo"]
        inside = [s.block for s in segs[: last_text + 1] if s.kind == "photo"]
        body = [s.line for s in segs if s.kind == "text"]
        item = PageItem(kind="article", continued_on=draft.continued_on)
        bylines = []
        if draft.head is not None:
            head = draft.head
            for index in (head.index, head.dateline):
                if index is None:
                    continue
                line = lines[index]
                self._note_credits(line)
                if line.kind == DATELINE:
                    item.source = line.source
                if line.kind == JUMP_FROM:
                    item.continued_from = line.page
                bylines += line.bylines
                if line.rest:
                    rest = _Line(index, line.number, line.rest, line.indent, line.gap)
                    body.insert(0, rest)
            headings = head.headings
            item.photos = [self._photo(block) for block in head.photos]
            item.line = headings[0].number
        else:
            headings = []
            while (
                len(headings) < MAX_HEADING_LINES
                and len(headings) < len(body) - 1
                and _heading_like(body[len(headings)])
            ):
                headings.append(body[len(headings)])
            if not headings:
                first = body[0]
                reason = (
                    _("text before the first headline")
                    if draft.top_of_page
                    else _("text that belongs to no headline")
                )
                raise PageFormatError(reason, first.number, first.text)
            if draft.sig is None and draft.continued_on is None:
                first = headings[0]
                reason = (
                    _("text before the first headline")
                    if draft.top_of_page
                    else _("a headline with no dateline, byline or signature")
                )
                raise PageFormatError(reason, first.number, first.text)
            body = body[len(headings) :]
            item.line = headings[0].number
        if draft.sig is not None:
            self._note_credits(draft.sig)
            bylines += draft.sig.bylines
        seen = set()
        for byline in bylines:
            if (byline.name, byline.role) not in seen:
                seen.add((byline.name, byline.role))
                item.bylines.append(byline)
        item.kicker, item.headline, item.subheadline, item.column = self._read_stack(headings)
        item.paragraphs, item.intertitles = self._assemble(body)
        item.photos += [self._photo(block) for block in inside]
        return item, trailing

    def _photo_news(self, block):
        heading = block.heading
        return PageItem(
            kind="photo",
            headline=heading.text if heading else "",
            bylines=list(block.bylines),
            paragraphs=list(block.paragraphs),
            line=heading.number if heading else block.number,
        )

    def _place_picture(self, block, above, below):
        """Decide whose a picture between items is, and by which rule.

        Return (place, rule): place is 'above', 'below' or 'news' (photo
        news). The rules, in order: the article whose byline names the
        picture's photographer ('credit'); a caption marked as an article's
        picture (图为…, ▲…: 'mark'); the nearer article by layout ('layout');
        what the caption tells ('caption' for one scene, 'story' for photo news).
        """
        photographers = {byline.name for byline in block.bylines}
        credited = [
            place
            for place, item in (("above", above), ("below", below))
            if item is not None and photographers & {b.name for b in item.bylines}
        ]
        # Between two articles, the one that credits the photographer takes the picture.
        if above is not None and below is not None and len(credited) == 1:
            return credited[0], "credit"
        return self._place_by_layout(block, above, below)

    def _place_by_layout(self, block, above, below):
        """Return (place, rule) for a picture whose credit names no one in either byline."""
        lines = self.lines
        caption = block.caption
        gap_above = lines[block.top].gap
        after = block.bottom + 1
        gap_below = lines[after].gap if after < len(lines) else None
        if _PICTURE_MARK.match(caption):
            if above is not None and (below is None or gap_above <= gap_below):
                return "above", "mark"
            return ("below", "mark") if below is not None else ("news", "mark")
        if above is None or gap_above > 1:
            return "news", "layout"
        # A caption hugging the article above (closer to it than to the item
        # below) is its picture. Where the gaps cannot tell (even, or nothing
        # below), the caption does: an article's picture shows one scene (a
        # date and what is seen), photo news tells a story of its own.
        if gap_below is not None and gap_above < gap_below:
            return "above", "layout"
        sentences = len(re.findall(r"[。！？!?]", caption))
        clauses = len(re.findall(r"[，,；;]", caption)) + 1
        scene = len(caption) <= ARTICLE_CAPTION_MAX_CHARS and sentences <= 1 and clauses <= 2
        return ("above", "caption") if scene else ("news", "story")

    def items(self):
        lines = self.lines
        if not lines:
            raise PageFormatError(_("the page is empty"))
        heads = self._find_heads()
        self._place_heads(heads)
        for line in lines:
            if line.kind in (CREDIT, CAPTIONED, SIGNATURE, BYLINE) or heads:
                break
        else:
            raise PageFormatError(
                _(
                    "nothing recognisable: no headline with a dateline (本报讯(记者 …)), "
                    "no byline and no photo credit (… 摄) was found"
                )
            )
        drafts = []
        top = heads[0].start if heads else len(lines)
        drafts += self._read_region(self._segments(0, top, True), None)
        for n, head in enumerate(heads):
            end = heads[n + 1].start if n + 1 < len(heads) else len(lines)
            anchor = lines[head.last]
            # A story whose first paragraph already jumps (…（下转第3版）) ends there.
            owner = _Draft(head=head, continued_on=anchor.onward)
            lead_complete = not anchor.rest or ends_sentence(anchor.rest)
            drafts += self._read_region(self._segments(head.last + 1, end, lead_complete), owner)

        # Build items; pictures between items are placed once the next item is known.
        built = []  # (item or None, trailing pictures, floating picture)
        for draft in drafts:
            if draft.picture is not None and not draft.floating:
                built.append((self._photo_news(draft.picture), [], None))
            elif draft.picture is not None:
                built.append((None, [], draft.picture))
            else:
                built.append((*self._item(draft), None))
        # The next article after each built item, found in one pass from the end.
        next_article, found = [None] * len(built), None
        for n in range(len(built) - 1, -1, -1):
            next_article[n] = found
            if built[n][0] is not None and built[n][0].kind == "article":
                found = built[n][0]
        items, below = [], []
        for n, (item, trailing, floating) in enumerate(built):
            following = next_article[n]
            next_is_article = n + 1 < len(built) and built[n + 1][0] is following
            if item is not None:
                item.photos[:0] = below
                below = []
                items.append(item)
            pictures = trailing + ([floating] if floating else [])
            above = item if item is not None and item.kind == "article" else None
            for block in pictures:
                place, rule = self._place_picture(
                    block, above, following if next_is_article else None
                )
                line = lines[block.top]
                if place == "above":
                    above.photos.append(self._photo(block))
                    message = _("picture read as the photo of the article above, “%s”")
                    self.warn(line, "picture", message % above.headline + _RULES[rule]())
                elif place == "below":
                    below.append(self._photo(block))
                    message = _("picture read as the photo of the article below, “%s”")
                    self.warn(line, "picture", message % following.headline + _RULES[rule]())
                else:
                    items.append(self._photo_news(block))
                    if block.heading is None:
                        message = _(
                            "picture with a credit standing between items read as photo news"
                        )
                        self.warn(line, "picture", message + _RULES[rule]())
        self.warnings.sort(key=lambda warning: warning.line)
        return items


def max_page_bytes() -> int:
    """Return the largest page text (UTF-8 bytes) the importer reads."""
    return int(getattr(settings, "IMPORTER_PAGE_MAX_BYTES", PAGE_MAX_BYTES))


def check_page_size(size: int, limit: int | None = None) -> None:
    """Refuse a page of size bytes when it is over the cap, with the sizes in the message."""
    limit = max_page_bytes() if limit is None else limit
    if size > limit:
        raise PageFormatError(
            _("the page's text is %(size)s KB; a page is at most %(limit)s KB")
            % {"size": -(-size // 1024), "limit": limit // 1024}
        )


def parse_page(text, *, max_bytes=None):
    """Parse a plain-text page into its items, in page order, and the parser's warnings.

    A text over max_bytes (max_page_bytes() unless given) is refused unread.
    """
    check_page_size(len(text.encode("utf-8")), max_bytes)
    page = _Page(text)
    items = page.items()
    return ParseResult(items, page.warnings)
