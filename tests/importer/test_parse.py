import json

import pytest

from articles.importer.export import render_page
from articles.importer.parse import PageFormatError, ParsedByline, parse_page
from articles.printing import format_dateline


def dicts(items):
    return [item.to_dict() for item in items]


def content(items):
    """Return what items say, without the line numbers of the text they were read from."""
    said = []
    for item in dicts(items):
        del item["line"]
        for photo in item["photos"]:
            del photo["line"]
        said.append(item)
    return said


def as_written(items, expected):
    """Keep of each parsed item only the fields the expected parse writes."""
    return [{name: item[name] for name in want} for item, want in zip(items, expected, strict=True)]


def test_seed_page_parses_exactly_as_expected(seed_text, seed_expected_json):
    expected = json.loads(seed_expected_json)
    items = dicts(parse_page(seed_text).items)
    assert len(items) == len(expected)
    assert as_written(items, expected) == expected


def test_seed_paragraphs_broken_by_the_layout_are_joined(seed_text):
    items = parse_page(seed_text).items
    assert "在化解信访积案" in items[0].paragraphs[1]
    assert "促进社会和谐稳定职责使命" in items[0].paragraphs[2]
    assert len(items[0].paragraphs) == 4


@pytest.mark.parametrize(
    "dateline, source, bylines",
    [
        ("本报讯(记者 胡引平)", "本报讯", [("胡引平", "reporter")]),
        (
            "本报讯(记者 司勇 通讯员 米雪)",
            "本报讯",
            [("司勇", "reporter"), ("米雪", "correspondent")],
        ),
        (
            "本报讯 （记者 汪丽娜 通讯员 王硕）",
            "本报讯",
            [("汪丽娜", "reporter"), ("王硕", "correspondent")],
        ),
        (
            "本报讯(记者 刘鑫焱 付明丽 实习生 何佳)",
            "本报讯",
            [("刘鑫焱", "reporter"), ("付明丽", "reporter"), ("何佳", "intern")],
        ),
        ("本报讯(记者 张三 摄影 李四)", "本报讯", [("张三", "reporter"), ("李四", "photographer")]),
        ("新华社北京2月28日电(记者 王海)", "新华社北京2月28日电", [("王海", "reporter")]),
        ("新华社北京2月28日电 ", "新华社北京2月28日电", []),
        ("本报讯", "本报讯", []),
    ],
)
def test_datelines_become_source_and_ordered_bylines(dateline, source, bylines):
    text = f"标题一行\n\n{dateline}2月11日，会议召开。\n"
    (item,) = parse_page(text).items
    assert item.source == source
    assert [(b.name, b.role) for b in item.bylines] == bylines
    assert item.paragraphs == ["2月11日，会议召开。"]


def test_byline_on_a_line_of_its_own():
    (item,) = parse_page(
        "老街新生\n\n——南门老街改造见闻\n\n本报记者 刘鑫焱 付明丽\n\n初冬时节，老街焕然一新。"
    ).items
    assert item.headline == "老街新生"
    assert item.subheadline == "——南门老街改造见闻"
    assert item.source == ""
    assert [(b.name, b.role) for b in item.bylines] == [
        ("刘鑫焱", "reporter"),
        ("付明丽", "reporter"),
    ]
    assert item.paragraphs == ["初冬时节，老街焕然一新。"]


def test_three_heading_lines_are_kicker_headline_and_subheadline():
    (item,) = parse_page(
        "历时四年建设\n\n过江隧道贯通\n\n预计明年通车\n\n本报讯(记者 林晓)隧道贯通。"
    ).items
    assert (item.kicker, item.headline, item.subheadline) == (
        "历时四年建设",
        "过江隧道贯通",
        "预计明年通车",
    )


@pytest.mark.parametrize(
    "caption_block, names",
    [
        ("白鹭在芦苇荡上空盘旋。\n\n宋卫东 李学军 摄", ["宋卫东", "李学军"]),
        ("白鹭在芦苇荡上空盘旋。 王硕 摄", ["王硕"]),
        ("白鹭在芦苇荡上空盘旋。(王硕 摄)", ["王硕"]),
        ("白鹭在芦苇荡上空盘旋。\n\n本报记者 王硕 摄", ["王硕"]),
    ],
)
def test_photo_news_is_a_caption_with_photographer_credits(caption_block, names):
    text = f"标题\n\n本报讯(记者 甲乙)正文。\n\n\n\n{caption_block}\n"
    article, photo = parse_page(text).items
    assert photo.kind == "photo"
    assert photo.headline == ""
    assert photo.paragraphs == ["白鹭在芦苇荡上空盘旋。"]
    assert [(b.name, b.role) for b in photo.bylines] == [(n, "photographer") for n in names]
    assert article.paragraphs == ["正文。"]


def test_crossheads_inside_copy_are_not_joined_to_the_next_paragraph():
    (item,) = parse_page(
        "标题\n\n本报讯(记者 甲乙)导语。\n\n一、坚持人民至上\n\n第一段内容。"
    ).items
    assert item.paragraphs == ["导语。", "一、坚持人民至上", "第一段内容。"]


def test_headline_after_a_broken_long_paragraph_is_not_mistaken_for_a_continuation():
    long_head = "这是一个被版面打断的很长很长的段落，" * 3 + "它在这里断开"
    text = f"标题甲\n\n本报讯(记者 甲乙){long_head}\n\n并在这里结束。\n\n标题乙\n\n本报讯(记者 丙丁)正文。"
    first, second = parse_page(text).items
    assert first.paragraphs == [long_head + "并在这里结束。"]
    assert second.headline == "标题乙"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("\n \n\u3000\n", "empty"),
        ("只是一段没有标题也没有电头的文字。\n\n又一段。", "nothing recognisable"),
        ("报头 第2版\n\n今天天气很好。\n\n标题\n\n本报讯(记者 甲乙)正文。", "line 1: text before"),
        ("本报讯(记者 甲乙)没有标题的正文。", "no headline"),
    ],
)
def test_unreadable_pages_are_refused_with_a_clear_message(text, message):
    with pytest.raises(PageFormatError, match=message):
        parse_page(text)


def test_dateline_is_printed_as_the_paper_prints_it():
    bylines = [ParsedByline("司勇", "reporter"), ParsedByline("米雪", "correspondent")]
    assert format_dateline("本报讯", bylines) == "本报讯(记者 司勇 通讯员 米雪)"
    assert format_dateline("", bylines[:1]) == "本报记者 司勇"
    assert format_dateline("新华社北京2月28日电", []) == "新华社北京2月28日电"


def test_rendered_page_parses_back_to_the_same_items(seed_text):
    items = parse_page(seed_text).items
    assert content(parse_page(render_page(items)).items) == content(items)


def test_standalone_byline_and_photo_credit_survive_a_round_trip():
    text = (
        "老街新生\n\n本报记者 许诺 林晓\n\n初冬时节，老街焕然一新。\n\n\n\n"
        "学生在校园农场收获萝卜。\n\n周敏 摄\n"
    )
    assert render_page(parse_page(text).items) == text
