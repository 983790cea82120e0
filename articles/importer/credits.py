"""Who a page credits, in the shapes Chinese papers print it.

本报讯(记者 司勇 通讯员 米雪), 新京报讯 记者甲乙 实习生丙丁 戊己 昨日…,
本报记者  甲乙丙  丁  戊 (a two-character name spaced out to the width of a
three-character one), 新华社北京2月28日电（记者 甲乙）, □ 甲乙, 作者：甲乙,
宋卫东 李学军 摄. This module reads one line at a time; parse.py decides
where the lines sit on the page.
"""

import re
from dataclasses import dataclass

# Printed role labels; the longest label that a token starts with wins, so
# 摄影记者 beats 摄影 and 记者, and 实习记者 beats 记者.
ROLE_LABELS = {
    "特约记者": "reporter",
    "见习记者": "reporter",
    "首席记者": "reporter",
    "全媒体记者": "reporter",
    "融媒体记者": "reporter",
    "摄影记者": "photographer",
    "实习记者": "intern",
    "记者": "reporter",
    "特约通讯员": "correspondent",
    "通讯员": "correspondent",
    "实习生": "intern",
    "摄影": "photographer",
    "编辑": "editor",
    "特约评论员": "author",
    "评论员": "author",
    "作者": "author",
}
_LABELS = "|".join(sorted(ROLE_LABELS, key=len, reverse=True))

# A label may carry whose staff the person is and where posted:
# 本报记者, 新华社记者, 新京报记者, 本报驻江城记者.
_LABEL_TOKEN = re.compile(
    r"^(?:(?:本报|本刊|新华社|中新社|[\u4e00-\u9fff]{1,8}?(?:报|社|台|网))"
    rf"(?:驻[\u4e00-\u9fff]{{1,6}}?)?)?(?P<label>{_LABELS})(?P<rest>.*)$"
)
# 文/甲乙 and 图/甲乙: the writer and the photographer of a feature.
_SLASH_LABEL = re.compile(r"(?<![\u4e00-\u9fff])(?P<label>[文图])\s*[/／|｜:：]\s*")
_SLASH_ROLES = {"文/": "author", "图/": "photographer"}

_HAN = "\u3400-\u9fff"
_NAME = re.compile(
    rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,10}}(?:[·•][{_HAN}]{{1,10}})+|[A-Z][A-Za-z.'-]{{1,30}})$"
)
_SINGLE = re.compile(rf"^[{_HAN}]$")

# Common surnames: a bare word is taken for a name only when it starts with one.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹"
    "申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管"
    "柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑"
    "迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权"
    "强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸"
    "雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 "
    "南宫 西门 独孤 呼延 百里 东郭 太史 申屠 澹台 公冶 濮阳 淳于 单于 万俟 闻人 赫连 拓跋"
).split()

# Words a report's text starts with, so 记者王海昨日… splits after 王海.
_TEXT_OPENERS = (
    "昨日 昨天 今日 今天 明天 近日 日前 近期 连日来 前不久 目前 当天 本月 上周 本周 上午 下午 "
    "晚上 凌晨 据 从 在 对 为 随着 记者"
).split()


@dataclass
class ParsedByline:
    name: str
    role: str


def looks_like_name(word):
    """Return whether a bare word reads as a person's name: a surname and one or two more."""
    if "·" in word or "•" in word:
        return bool(_NAME.match(word))
    for surname in COMPOUND_SURNAMES:
        if word.startswith(surname) and 3 <= len(word) <= 4:
            return True
    return 2 <= len(word) <= 3 and word[0] in SURNAMES and bool(_NAME.match(word))


def _split_label(token):
    """Return (role, rest of the token) for a token led by a role label, else None.

    The name may follow the label after a slash or a colon: 记者／黄少宏.
    """
    if token in _SLASH_ROLES:
        return _SLASH_ROLES[token], ""
    match = _LABEL_TOKEN.match(token)
    if match is None:
        return None
    return ROLE_LABELS[match["label"]], match["rest"].lstrip("/／:：")


# A role label printed against the name before it (记者李莉通讯员刘清华,
# 本报见习记者刘帅本报记者刘红杰): only our own and the agencies' staff
# prefixes are recognised there, so that a name is never read as a paper.
_GLUED_LABEL = re.compile(rf"(?:本报|本刊|新华社|中新社)?(?:驻[{_HAN}]{{1,6}}?)?(?:{_LABELS})")
_CREDIT_SEPARATOR = re.compile(r"[\s\u3000、，,/／]")


def _glued_label_cuts(text):
    """Return where role labels run on from a name before them (positions in text).

    A label is cut off only when what stands between it and the previous
    label (or separator) reads as a name: 记者李莉|通讯员刘清华, but not
    新京报记者 (a paper) nor 本报全媒体记者 (one label).
    """
    cuts, segment_start = [], 0
    for match in _GLUED_LABEL.finditer(text):
        start = match.start()
        separators = list(_CREDIT_SEPARATOR.finditer(text, segment_start, start))
        if separators:
            segment_start = separators[-1].end()
        segment = text[segment_start:start]
        if segment and (looks_like_name(segment) or split_names(segment)):
            cuts.append(start)
        segment_start = match.end()
    return cuts


def _split_glued_labels(text):
    """Put a space before every role label that runs on from the name before it."""
    for cut in reversed(_glued_label_cuts(text)):
        text = text[:cut] + " " + text[cut:]
    return text


def split_names(word):
    """Split names printed without a space (黄晓南马晓澄) into names, or return None.

    Each part is two or three characters and starts with a common surname; the
    word is split only when exactly one such reading exists.
    """
    if not 4 <= len(word) <= 9 or looks_like_name(word):
        return None
    readings = []

    def walk(rest, parts):
        if not rest:
            readings.append(parts)
            return
        for size in (2, 3):
            part = rest[:size]
            if len(part) == size and part[0] in SURNAMES and len(rest) - size != 1:
                walk(rest[size:], [*parts, part])

    walk(word, [])
    readings = [parts for parts in readings if len(parts) >= 2]
    return readings[0] if len(readings) == 1 else None


def _strip_reported(token):
    """Return (token without a closing 报道, whether it had one): 记者甲乙报道."""
    for ending in ("报道：", "报道:", "报道"):
        if token.endswith(ending):
            return token[: -len(ending)], True
    return token, False


def _tokens(text, slash=True):
    """Return the tokens of a credit with their spans; 文/ and 图/ become tokens of their own."""
    if slash:
        text = _SLASH_LABEL.sub(lambda m: f" {m['label']}/ ", text)
    text = _split_glued_labels(text)
    return text, list(re.finditer(r"[^\s\u3000、，,]+", text))


def parse_credits(text, default_role=None, *, surname_glued=False):
    """Return the bylines in '记者 司勇 通讯员 米雪', or None if it is not a credit.

    Single characters pair up into one name: 本报记者 甲乙丙  丁  戊 credits 丁戊.
    With surname_glued, a name printed against its label (记者甲乙) must start
    with a common surname, so that 记者手记 is not read as a credit.
    """
    _, matches = _tokens(text.strip())
    tokens = [m.group() for m in matches]
    role, bylines, index = default_role, [], 0
    seen_label = False  # names printed together are split only after a role label
    while index < len(tokens):
        token = tokens[index]
        index += 1
        labelled = _split_label(token)
        if labelled:
            seen_label = True
            role, token = labelled
            if not token:
                continue
            if surname_glued and not looks_like_name(_strip_reported(token)[0]):
                return None
        token, reported = _strip_reported(token)
        if not token and reported and index == len(tokens):
            break
        if _SINGLE.match(token):
            if index < len(tokens) and _SINGLE.match(tokens[index]):
                token += tokens[index]
                index += 1
            else:
                return None
        together = seen_label and not looks_like_name(token)
        if together and len(token) == 4 and (names := split_names(token)):
            # 王雷危玮: two names printed together (a four-character name has a compound surname).
            bylines += [ParsedByline(name, role or "author") for name in names]
            continue
        if not _NAME.match(token):
            names = split_names(token) if together else None
            if names is None:
                return None
            bylines += [ParsedByline(name, role or "author") for name in names]
            continue
        bylines.append(ParsedByline(token, role or "author"))
        if reported and index < len(tokens):
            return None
    return bylines or None


@dataclass
class InlineCredits:
    bylines: list
    rest: str  # the text after the credits
    guesses: list  # (kind, word): where the end of the credits was guessed


def _split_glued(word):
    """Split 王海昨日… into (王海, 昨日…) when a name runs into the text unspaced."""
    for size in (2, 3):
        name, after = word[:size], word[size:]
        if looks_like_name(name) and (
            after.startswith(tuple(_TEXT_OPENERS)) or re.match(r"[\d，,。：:]", after)
        ):
            return name, after
    return None


_REPORTED_GLUED = re.compile(rf"^([{_HAN}]{{2,4}}?)报道[：:]?(?=.)")


def read_inline_credits(text):
    """Read credits printed without brackets after a dateline: 记者甲乙 实习生丙丁 戊己 昨日，…

    Return None when the text does not start with a role label followed by
    a name. The names end where a word is not a name: a bare word must start
    with a common surname (one of two to four characters that does not is
    taken for the text, and noted); a name printed against its label may run
    into the text (记者王海昨日…), and that is noted too.
    """
    original, cuts = text, _glued_label_cuts(text)
    text, matches = _tokens(text, slash=False)
    role, bylines, guesses, rest_at, index = None, [], [], len(text), 0
    while index < len(matches):
        match = matches[index]
        token, start = match.group(), match.start()
        labelled = _split_label(token)
        # The word right after a bare label is its name, surname or not: the
        # pen names of press offices (通讯员 市林宣) start like ordinary words.
        announced = index > 0 and _split_label(matches[index - 1].group()) == (role, "")
        if labelled:
            role, token = labelled
            start = match.end() - len(token)
        elif role is None:
            return None
        if token.startswith(("报道：", "报道:")) and bylines:  # 记者 王海 报道：…
            rest_at = match.start() + 3
            break
        name, reported = _strip_reported(token)
        following = matches[index + 1].group() if index + 1 < len(matches) else ""
        if not name:
            index += 1
        elif _NAME.match(name) and (labelled or announced or looks_like_name(name)):
            bylines.append(ParsedByline(name, role))
            index += 1
        elif _SINGLE.match(name) and _SINGLE.match(following):
            bylines.append(ParsedByline(name + following, role))
            index += 2
        elif (reported_glued := _REPORTED_GLUED.match(name)) and (
            labelled or looks_like_name(reported_glued[1])
        ):  # 通讯员李军涛报道酒后…: 报道 ends the credits, the text runs on
            bylines.append(ParsedByline(reported_glued[1], role))
            rest_at = start + reported_glued.end()
            break
        else:
            glued = _split_glued(name) if labelled else None
            if glued:
                bylines.append(ParsedByline(glued[0], role))
                guesses.append(("glued", glued[0]))
                rest_at = start + len(glued[0])
            else:
                bare_word = re.fullmatch(rf"[{_HAN}]{{2,4}}", name)
                if bare_word and not labelled and not name.startswith(tuple(_TEXT_OPENERS)):
                    guesses.append(("text", name))
                rest_at = match.start()
            break
        if reported:
            rest_at = match.end()
            break
    if not bylines:
        return None
    # Spaces were put before glued labels to read the credits; the text keeps its own.
    rest_at -= sum(1 for n, cut in enumerate(cuts) if cut + n < rest_at)
    return InlineCredits(bylines, original[rest_at:].lstrip(" \u3000：:，,"), guesses)


def photo_credit(text):
    """Return the photographers in a credit such as '本报记者 王硕' or '宋卫东 李学军', or None."""
    credits = parse_credits(text, default_role="photographer")
    if credits is None:
        return None
    return [ParsedByline(b.name, "photographer") for b in credits]


# A credit line under a picture: 宋卫东 李学军 摄, (本报记者 王硕 摄), 图/王硕.
_CREDIT_LINE = re.compile(r"^[（(]?(?P<credits>[^()（）。！？,，]{2,60}?)\s*摄[)）]?$")
_PICTURE_BY = re.compile(r"^[（(]?图\s*[/／:：｜|]\s*(?P<credits>[^()（）。！？,，]{2,40}?)[)）]?$")
# A credit at the end of a caption: …现场（王硕 摄）, or after the caption's
# last sentence: …路网。 王硕 摄.
_BRACKETED_CREDIT = re.compile(r"^(?P<caption>.*?)\s*[（(](?P<credits>[^()（）]{2,40}?)\s*摄[)）]$")
_PLAIN_CREDIT = re.compile(
    r"^(?P<caption>.*[。！？!?”’」』)）…])\s*(?P<credits>[^()（）。！？,，]{2,40}?)\s*摄$"
)


def read_credit_line(text):
    """Return the photographers of a credit line standing under a caption, or None."""
    match = _CREDIT_LINE.match(text) or _PICTURE_BY.match(text)
    return photo_credit(match["credits"]) if match else None


def read_trailing_credit(text):
    """Return (caption, photographers) for a caption ending in its credit, or None."""
    match = _BRACKETED_CREDIT.match(text) or _PLAIN_CREDIT.match(text)
    if not match:
        return None
    credits = photo_credit(match["credits"])
    caption = match["caption"].strip()
    return (caption, credits) if credits and len(caption) >= 4 else None


# Marks that lead a byline without a label: □ 甲乙, ◎甲乙, ■ 本报记者 甲乙.
_BYLINE_MARK = re.compile(r"^[□■◎●◆◇○☆★]\s*")
_AUTHOR_LABEL = re.compile(r"^作者\s*[：:]\s*")
BYLINE_MAX_CHARS = 60


@dataclass
class BylineLine:
    bylines: list
    marked: bool  # led by □/◎/作者： rather than by a role label
    surnamed: bool  # every unlabelled name starts with a common surname


def read_byline_line(text):
    """Read a byline on a line of its own: 本报记者 刘鑫焱, □ 甲乙, 作者：甲乙, 文/甲乙."""
    if len(text) > BYLINE_MAX_CHARS or re.search(r"[。！？!?；;]$", text):
        return None
    marked = False
    body = text
    if mark := _BYLINE_MARK.match(body) or _AUTHOR_LABEL.match(body):
        marked, body = True, body[mark.end() :]
    _, matches = _tokens(body)
    if not matches:
        return None
    if not marked and _split_label(matches[0].group()) is None:
        return None
    bylines = parse_credits(body, default_role="author" if marked else None, surname_glued=True)
    if bylines is None:
        return None
    labelled = _split_label(matches[0].group()) is not None
    # □ 若水 may be a pen name; □ 一条老街 半部镇史 is an intertitle.
    if not labelled and not all(len(b.name) <= 3 or looks_like_name(b.name) for b in bylines):
        return None
    surnamed = labelled or all(looks_like_name(b.name) for b in bylines)
    return BylineLine(bylines, marked, surnamed)


_BRACKETED = re.compile(r"^[（(](?P<inner>[^()（）]{2,30})[)）]$")


_ENDS_LIKE_TEXT = re.compile(r"[。！？!?；;，,：:…]$")


def read_signature(text):
    """Read a signature line closing a piece: 甲乙, （甲乙）, （本报记者 甲乙）; else None.

    A bare name must start with a common surname, so a short line such as
    （待续） or 春到江城 is not taken for one.
    """
    match = _BRACKETED.match(text)
    inner = match["inner"] if match else text
    # Most lines are sentences: they end in punctuation a signature never has.
    if len(inner) > 30 or _ENDS_LIKE_TEXT.search(inner):
        return None
    _, matches = _tokens(inner)
    if not matches:
        return None
    bylines = parse_credits(inner, default_role="author", surname_glued=True)
    if bylines is None:
        return None
    if _split_label(matches[0].group()) is None and not all(
        looks_like_name(b.name) for b in bylines
    ):
        return None
    return bylines
