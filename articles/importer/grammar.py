"""The dateline grammar: how Chinese papers print where copy comes from (docs/importer-grammar.md).

A dateline is a *source*, perhaps in 【 】, then perhaps *credits* in brackets
(full-width, half-width) or without them, then the text:

    dateline := ["【"] source ["】"] [space] [credits] text
    source   := own | named | message | wire | according
    own      := ("本报" | "本刊") [place] "讯"               本报讯, 本报湘潭讯
    named    := name [place] [date] "讯"                     新京报讯, 南都讯, 中国网6月11日讯
    message  := name [place] [date] "消息"                   荆楚网消息, 中广网唐山6月12日消息
    wire     := ["据"] name [place] date "电"                新华社北京2月28日电
              | "本报" [place] "电" | "据" name "电"         本报北京电, 据新华社电
    according:= "据" name "报道"  (followed by a space or a colon)
    name     := 2–10 characters (Han, digits)                新华社, 新华08网, 四川新闻网
    date     := [year "年"] day-of-month: 2月28日, ２月２８日, 二月二十八日

The grammar is written as small patterns composed below; which of them may
stand before ordinary text is decided by what follows the source: a name
that is not a paper's (it does not end in 报/网/社/台/刊/端/都/新闻 and has no
date) is a source only when a bracket, a space or a role label follows it,
so that 市场资讯丰富… stays text. Credits are read by credits.py.
"""

import re

_HAN = "\u3400-\u9fff"
_DIGITS = "0-9０-９"
SPACE = r"[ \t\u3000]"
_NUMBER = rf"(?:[{_DIGITS}]{{1,2}}|[一二三四五六七八九十]{{1,3}})"
DATE = rf"(?:(?:[{_DIGITS}]{{4}}|[〇零一二三四五六七八九]{{4}})年)?{_NUMBER}月{_NUMBER}日"
NAME = rf"[{_HAN}{_DIGITS}]{{2,10}}?"
PLACE = rf"[{_HAN}]{{0,8}}?"
# What a paper's, a site's or an agency's name ends with.
PAPERISH = r"(?:报|网|社|台|刊|端|都|新闻|客户端)"
# A paper's, a site's or an agency's name: 新华社, 中新网, 新华08网, 四川新闻网.
PAPER = rf"[{_HAN}{_DIGITS}]{{1,9}}?{PAPERISH}"

OWN = rf"(?:本报|本刊){PLACE}讯"
NAMED = rf"{NAME}{PLACE}(?:{DATE})?讯"
MESSAGE = rf"{PAPER}{PLACE}(?:{DATE})?消息"
WIRE = rf"据?{PAPER}{PLACE}{DATE}电|本报{PLACE}电|据{PAPER}电"
ACCORDING = rf"据{PAPER}报道"
_PAPER_NAMED = re.compile(
    rf"^(?:本报|本刊|.*{PAPERISH}(?:{PLACE})?(?:{DATE})?(?:讯|消息)$|.*{DATE}.*)"
)
# What may follow a source whose name is not a paper's: a bracket, a space, a role label.
_OPENS_CREDITS = re.compile(
    rf"^(?:{SPACE}|[（(【\[]|[{_HAN}]{{0,8}}?(?:记者|通讯员|实习生|摄影|评论员))"
)
# A 据…报道 or …消息 source stands before a space, a colon or credits, never before a comma.
_AFTER_REPORT = re.compile(rf"^(?:{SPACE}|[：:（(]|$)")


def read_source(text: str) -> tuple[str, int] | None:
    """Return (the source, where what follows it starts) for a line that opens with one, else None.

    The source is returned without the 【 】 some papers print around it.
    """
    for candidate in _candidates(text):
        source, end = candidate
        after = text[end:]
        if source.endswith(("消息", "报道")) and not _AFTER_REPORT.match(after):
            continue
        if source.endswith("讯") and not (
            _PAPER_NAMED.match(source) or _OPENS_CREDITS.match(after)
        ):
            continue
        return source, end
    return None


_ALTERNATIVES = [
    re.compile(rf"^(?P<open>[【\[])?(?P<source>{form})(?(open)[】\]])")
    for form in (OWN, WIRE, NAMED, MESSAGE, ACCORDING)
]


def _candidates(text):
    """Yield (source, end) for each form of source the line may open with, shortest first."""
    for pattern in _ALTERNATIVES:
        match = pattern.match(text)
        if match:
            yield match["source"], match.end()


# A credit that opens the text, with no source: 环球网记者李亮报道，…
CREDIT_LEAD = re.compile(
    rf"^(?P<credits>{PAPER}(?:驻[{_HAN}]{{1,6}}?)?(?:记者|通讯员){SPACE}*[{_HAN}]{{2,4}}?)"
    rf"{SPACE}*报道[，,：:]"
)


def read_credit_lead(text: str) -> tuple[str, int] | None:
    """Return (the credits, where the text starts) for a line opening 环球网记者李亮报道，…"""
    match = CREDIT_LEAD.match(text)
    return (match["credits"], match.end()) if match else None
