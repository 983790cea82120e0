"""Copy-level text rules shared by the importer, the admin and the models."""

import re

# A paragraph is complete when it ends like a sentence, possibly followed by
# closing quotes or brackets: 。 ！ ？ … ； ： (full- or half-width), a space
# typed before the closing quote (…做准备。 ”) or not. A stop followed by an
# opening quote (…推进。“) ends one too: print never ends a line with an opening
# quote (避头尾), so there it is a closing quote typed the wrong way round.
_SENTENCE_END = re.compile(
    r"(?:[。！？!?…；;：:.．](?:[ \t\u3000]*[\"'”’」』）)\]】])*|[。！？!?…][“‘])$"
)
# Where the layout broke a line between two Latin words, the space between them
# is the line break: (Tedros Adhanom / Ghebreyesus).
_LATIN_END = re.compile(r"[A-Za-z][.,]?$")
_LATIN_START = re.compile(r"^[A-Za-z]")

# Crossheads inside long copy (一、… （二）… ■…) end without punctuation but
# stand alone; everything else that does is a paragraph the layout broke.
_CROSSHEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|[■□●◆◇▲★☆▶]).{0,30}$"
)

# An intertitle (小标题) is a short line with no punctuation inside or at its
# end: 老街有了新模样. A piece of a sentence the layout broke carries commas.
INTERTITLE_MAX_CHARS = 24
_INNER_PUNCTUATION = re.compile(r"[，,。；;：:！？!?]")

# What counts as one character in 字数: a Han character or full-width
# punctuation; a run of Latin letters or digits counts as one word.
_CJK_CHAR = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
    "\u201c\u201d\u2018\u2019\u2014\u2026\u00b7\U00020000-\U0003134f]"
)
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’][A-Za-z0-9]+)*")


def ends_sentence(line):
    """Return whether line ends like a complete paragraph."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def is_crosshead(line):
    """Return whether line is a marked crosshead: 一、… （二）… ■…"""
    return bool(_CROSSHEAD.match(line)) and not ends_sentence(line)


def is_intertitle(line):
    """Return whether line has the shape of an intertitle (小标题), marked or not."""
    line = line.strip()
    if is_crosshead(line):
        return True
    return 2 <= len(line) <= INTERTITLE_MAX_CHARS and not _INNER_PUNCTUATION.search(line)


def join_pieces(pieces):
    """Join the lines of one paragraph: without a space, as Chinese is written,
    but with one between two Latin words that a line break parted."""
    text = ""
    for piece in pieces:
        if text and _LATIN_END.search(text) and _LATIN_START.match(piece):
            text += " "
        text += piece
    return text


def _join(lines, stands_alone):
    """Join lines into paragraphs; stands_alone(line, following line) keeps a line apart."""
    paragraphs, pending = [], ""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if not pending and stands_alone(line, following):
            paragraphs.append(line)
            continue
        pending = join_pieces([pending, line])
        if ends_sentence(pending):
            paragraphs.append(pending)
            pending = ""
    if pending:
        paragraphs.append(pending)
    return paragraphs


def join_broken_lines(lines):
    """Join lines that the page layout broke mid-sentence back into paragraphs.

    A line that does not end a sentence continues in the next one. Chinese has
    no spaces between words, so the pieces are joined without one (but two
    Latin words parted by the break keep theirs).
    """
    return _join(list(lines), lambda line, following: is_crosshead(line))


def split_paragraphs(body):
    """Return the non-empty paragraphs of body, one per line."""
    return [line.strip() for line in body.splitlines() if line.strip()]


def normalize_body(text):
    """Return copy as stored: broken lines joined, one blank line between paragraphs.

    An intertitle-shaped line standing between blank lines (as the importer
    stores 小标题) stays a paragraph of its own; the same words followed at
    once by another line are the start of a sentence and are joined.
    """
    paragraphs = _join(
        text.splitlines(),
        lambda line, following: is_crosshead(line) or (not following and is_intertitle(line)),
    )
    return "\n\n".join(paragraphs)


def count_chars(text):
    """Count 字数: Han characters and full-width punctuation one each, Latin words one each."""
    return len(_CJK_CHAR.findall(text)) + len(_LATIN_WORD.findall(text))


# --- a title for copy that prints none (photo news) ----------------------------

TITLE_MAX = 30
_SENTENCES = re.compile(r"(?<=[。！？!?])")
_CLAUSE = re.compile(r"([，,；;：:、])")
# A caption opens with when: 11月24日, 2月12日上午, 近日. It says nothing as a title.
_WHEN = re.compile(
    r"^(?:\d{1,4}年)?(?:\d{1,2}月)?\d{1,2}日[^\s，,]{0,4}$|^(?:近日|日前|昨天|今天|昨日|今日)$"
)
_TRAILING_CREDIT = re.compile(r"[（(][^（()）]*摄[)）]\s*$")


def _cut_at_word(text, limit):
    """Return text shortened to whole words within limit, with an ellipsis."""
    from articles.search.tokens import jieba  # loaded only when a clause is this long

    kept = ""
    for word in jieba().cut(text):
        if len(kept) + len(word) > limit - 1:
            break
        kept += word
    return (kept or text[: limit - 1]).rstrip("，,；;：:、 ") + "…"


def caption_title(body, limit=TITLE_MAX):
    """Return a title for copy with no headline: the caption's first clause.

    A leading clause that only says when (11月24日) is skipped; clauses that
    follow are added while the sentence lasts and the title stays within
    limit; a first clause longer than that is cut at a word boundary.
    """
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        return ""
    text = _TRAILING_CREDIT.sub("", paragraphs[0]).strip()
    sentence = next((s for s in _SENTENCES.split(text) if s.strip()), text).strip()
    sentence = sentence.rstrip("。！？!?…")
    parts = _CLAUSE.split(sentence)
    clauses = [
        (parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)
    ]
    clauses = [(clause.strip(), mark) for clause, mark in clauses if clause.strip()]
    while len(clauses) > 1 and _WHEN.match(clauses[0][0]):
        clauses.pop(0)
    if not clauses:
        return ""
    first = clauses[0][0]
    if len(first) > limit:
        return _cut_at_word(first, limit)
    title, mark = first, clauses[0][1]
    for clause, next_mark in clauses[1:]:
        if len(title) + len(mark) + len(clause) > limit:
            break
        title += mark + clause
        mark = next_mark
    return title
