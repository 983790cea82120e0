import json

import pytest
from django.utils import translation

from articles.copy.printing import format_dateline
from articles.importer.export import render_page
from articles.importer.parse import PageFormatError, ParsedByline, parse_page


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
    with translation.override("en"), pytest.raises(PageFormatError, match=message):
        parse_page(text)


def test_refusals_are_told_in_the_newsroom_language():
    with pytest.raises(PageFormatError, match="^第1行：电头或署名上方没有标题：本报讯"):
        parse_page("本报讯(记者 甲乙)没有标题的正文。")


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


def warnings_of(text):
    return [(warning.line, warning.code) for warning in parse_page(text).warnings]


def credits(item):
    return [(b.name, b.role) for b in item.bylines]


@pytest.mark.parametrize(
    "dateline, source, bylines, text",
    [
        (
            "江城晚报讯 记者王海 实习生李想 赵一 昨日，会议召开。",
            "江城晚报讯",
            [("王海", "reporter"), ("李想", "intern"), ("赵一", "intern")],
            "昨日，会议召开。",
        ),
        ("江城晚报讯（记者 王海）会议召开。", "江城晚报讯", [("王海", "reporter")], "会议召开。"),
        (
            "江城晚报讯(记者王海 通讯员李想)会议召开。",
            "江城晚报讯",
            [("王海", "reporter"), ("李想", "correspondent")],
            "会议召开。",
        ),
        ("本报讯 ( 记者 王海 ) 会议召开。", "本报讯", [("王海", "reporter")], "会议召开。"),
        (
            "本报讯 记者 王海 通讯员 李想 会议召开。",
            "本报讯",
            [("王海", "reporter"), ("李想", "correspondent")],
            "会议召开。",
        ),
        ("本报讯 记者王海报道 会议召开。", "本报讯", [("王海", "reporter")], "会议召开。"),
        (
            "新华社北京2月28日电（记者 王海 李想）会议召开。",
            "新华社北京2月28日电",
            [("王海", "reporter"), ("李想", "reporter")],
            "会议召开。",
        ),
        (
            "中新社上海3月9日电 (记者 王海) 会议召开。",
            "中新社上海3月9日电",
            [("王海", "reporter")],
            "会议召开。",
        ),
        (
            "本报北京3月10日电 （记者 王海）会议召开。",
            "本报北京3月10日电",
            [("王海", "reporter")],
            "会议召开。",
        ),
        (
            "中新网南宁3月9日电 记者 王海 会议召开。",
            "中新网南宁3月9日电",
            [("王海", "reporter")],
            "会议召开。",
        ),
        ("据新华社电 会议召开。", "据新华社电", [], "会议召开。"),
        (
            "本报讯 记者昨天从市教委获悉，学校开学。",
            "本报讯",
            [],
            "记者昨天从市教委获悉，学校开学。",
        ),
        ("本报讯 记者 王海 报道：学校开学。", "本报讯", [("王海", "reporter")], "学校开学。"),
        (
            "本报讯（本报全媒体记者 王海 特约通讯员 李想）会议召开。",
            "本报讯",
            [("王海", "reporter"), ("李想", "correspondent")],
            "会议召开。",
        ),
    ],
)
def test_other_papers_and_agencies_datelines_give_source_bylines_and_text(
    dateline, source, bylines, text
):
    result = parse_page(f"标题\n\n{dateline}\n")
    (item,) = result.items
    assert (item.source, credits(item), item.paragraphs) == (source, bylines, [text])
    assert result.warnings == []


def test_where_credits_run_into_the_text_the_guess_is_a_warning():
    result = parse_page("标题\n\n江城晚报讯 记者 王海 春分 时节，田野一片繁忙。\n")
    (item,) = result.items
    assert credits(item) == [("王海", "reporter")]
    assert item.paragraphs == ["春分 时节，田野一片繁忙。"]
    assert warnings_of("标题\n\n江城晚报讯 记者 王海 春分 时节，田野一片繁忙。\n") == [
        (3, "credits")
    ]
    (item,) = parse_page("标题\n\n江城晚报讯 记者王海昨日从市教委获悉，学校开学。\n").items
    assert (credits(item), item.paragraphs) == (
        [("王海", "reporter")],
        ["昨日从市教委获悉，学校开学。"],
    )


def test_a_two_character_name_spaced_to_three_is_one_name():
    (item,) = parse_page("标题\n\n本报记者  王海涛  冯  蕾  孟庆生\n\n正文。").items
    assert credits(item) == [("王海涛", "reporter"), ("冯蕾", "reporter"), ("孟庆生", "reporter")]
    (item,) = parse_page("标题\n\n本报驻江州记者\u3000廖\u3000凯\n\n正文。").items
    assert credits(item) == [("廖凯", "reporter")]


def test_a_byline_line_over_a_dateline_credits_the_people_and_keeps_the_dateline():
    (item,) = parse_page("标题\n\n本报记者  唐  宁\n\n本报海川3月8日电  码头一片繁忙。").items
    assert (item.source, credits(item), item.paragraphs) == (
        "本报海川3月8日电",
        [("唐宁", "reporter")],
        ["码头一片繁忙。"],
    )
    (item,) = parse_page("标题\n\n新华社记者 侯建明 蔡晓雯\n\n客机起飞。").items
    assert credits(item) == [("侯建明", "reporter"), ("蔡晓雯", "reporter")]


@pytest.mark.parametrize(
    "stack, expected, warned",
    [
        (["代表委员热议——", "让乡村更有活力"], ("代表委员热议——", "让乡村更有活力", "", ""), False),
        (["春耕正当时", "——各地见闻"], ("", "春耕正当时", "——各地见闻", ""), False),
        (
            ["扎根海岛", "守护灯塔", "——记守护员邱海生"],
            ("扎根海岛", "守护灯塔", "——记守护员邱海生", ""),
            False,
        ),
        (["【民生观察】", "停车难如何破解"], ("", "停车难如何破解", "", "民生观察"), False),
        (
            ["微更新更有温度（城市更新·一线见闻）"],
            ("", "微更新更有温度", "", "城市更新·一线见闻"),
            False,
        ),
        (["老城新事（上）"], ("", "老城新事（上）", "", ""), False),
        (["聚焦数据", "外贸增长9.6%"], ("", "聚焦数据", "外贸增长9.6%", ""), True),
    ],
)
def test_headline_stacks_are_read_by_their_marks(stack, expected, warned):
    text = "\n\n".join([*stack, "本报讯(记者 王海)正文。"])
    result = parse_page(text)
    (item,) = result.items
    assert (item.kicker, item.headline, item.subheadline, item.column) == expected
    assert bool(result.warnings) == warned
    assert all(warning.line == 1 for warning in result.warnings)


def test_a_bracketed_label_without_series_mark_is_a_column_with_a_warning():
    result = parse_page("在诗词里遇见春天（读书札记）\n\n□ 米兰\n\n正文。")
    assert (result.items[0].headline, result.items[0].column) == ("在诗词里遇见春天", "读书札记")
    assert [(w.line, w.code) for w in result.warnings] == [(1, "column")]


def test_intertitles_stay_in_the_article_and_unmarked_ones_are_warned_about():
    text = "标题\n\n本报讯(记者 王海)导语。\n\n老街有了新模样\n\n正文一。\n\n◆新业态\n\n正文二。"
    result = parse_page(text)
    (item,) = result.items
    assert item.paragraphs == ["导语。", "老街有了新模样", "正文一。", "◆新业态", "正文二。"]
    assert item.intertitles == ["老街有了新模样", "◆新业态"]
    assert [(w.line, w.code) for w in result.warnings] == [(5, "intertitle")]


def test_a_short_line_broken_mid_sentence_is_joined_not_taken_for_an_intertitle():
    (item,) = parse_page(
        "标题\n\n本报讯(记者 王海)导语。\n\n记者从市里获悉，全市\n\n已建成驿站。"
    ).items
    assert item.paragraphs == ["导语。", "记者从市里获悉，全市已建成驿站。"]
    assert item.intertitles == []


ARTICLE = "樱花盛开\n\n本报讯(记者 王海)赏花客流迎来高峰。"


@pytest.mark.parametrize(
    "text, photos, news, warned",
    [
        # Between the headline and the dateline.
        (
            "樱花盛开\n\n游客拍照留念。\n\n吕晨 摄\n\n本报讯(记者 王海)赏花客流迎来高峰。",
            ["游客拍照留念。"],
            0,
            False,
        ),
        # Inside the text.
        (
            f"{ARTICLE}\n\n游客拍照留念。（吕晨 摄）\n\n公园增派了人手。",
            ["游客拍照留念。"],
            0,
            False,
        ),
        # Hugging the article from below, marked as its picture.
        (
            f"{ARTICLE}\n\n图为游客拍照留念。 吕晨 摄\n\n\n\n另一条\n\n本报讯(记者 李想)正文。",
            ["图为游客拍照留念。"],
            0,
            True,
        ),
        # Photo news with a headline of its own.
        (f"{ARTICLE}\n\n\n\n春灌时节\n\n农民平整稻田。\n\n吕晨 摄", [], 1, False),
        # A dated story standing apart.
        (
            f"{ARTICLE}\n\n\n\n3月18日，农民驾驶拖拉机平整稻田，为春耕做准备。\n\n吕晨 摄",
            [],
            1,
            True,
        ),
        # Right under the article with nothing below: a scene is its picture…
        (
            f"{ARTICLE}\n\n3月18日，游客在樱花树下拍照。\n\n吕晨 摄",
            ["3月18日，游客在樱花树下拍照。"],
            0,
            True,
        ),
        # …a story of its own is photo news.
        (f"{ARTICLE}\n\n3月18日，农民驾驶拖拉机平整稻田，为春耕做准备。\n\n吕晨 摄", [], 1, True),
    ],
)
def test_pictures_go_with_their_article_or_stand_as_photo_news(text, photos, news, warned):
    result = parse_page(text)
    article = result.items[0]
    assert [photo.caption for photo in article.photos] == photos
    assert all(credits(photo) == [("吕晨", "photographer")] for photo in article.photos)
    assert [item.kind for item in result.items].count("photo") == news
    assert article.paragraphs[0] == "赏花客流迎来高峰。"
    assert any(w.code == "picture" for w in result.warnings) == warned


def test_photo_news_keeps_its_own_headline():
    items = parse_page(f"{ARTICLE}\n\n\n\n春灌时节\n\n农民平整稻田。\n\n吕晨 摄").items
    assert (items[1].kind, items[1].headline, items[1].paragraphs) == (
        "photo",
        "春灌时节",
        ["农民平整稻田。"],
    )


@pytest.mark.parametrize(
    "byline, name",
    [("□ 钟一鸣", "钟一鸣"), ("◎田野", "田野"), ("作者：蔡文瑶", "蔡文瑶"), ("文/许晴", "许晴")],
)
def test_commentaries_and_columns_without_a_dateline_are_items(byline, name):
    (item,) = parse_page(f"让养老更贴心\n\n{byline}\n\n办好养老，要有服务。").items
    assert (item.source, credits(item), item.paragraphs) == (
        "",
        [(name, "author")],
        ["办好养老，要有服务。"],
    )


def test_a_piece_signed_at_its_end_is_an_item():
    text = "春天里的约定\n\n母亲种下向日葵。\n\n我订好了车票。\n\n（伍思琪）\n\n\n\n退货不应难\n\n网购已成日常。\n\n潘立新"
    first, second = parse_page(text).items
    assert (first.headline, credits(first), first.paragraphs) == (
        "春天里的约定",
        [("伍思琪", "author")],
        ["母亲种下向日葵。", "我订好了车票。"],
    )
    assert (second.headline, credits(second)) == ("退货不应难", [("潘立新", "author")])


def test_a_signed_piece_after_an_article_is_found_by_its_headline_and_the_guess_warned():
    text = (
        "老街新生\n\n本报记者 许诺\n\n导语。\n\n留住老街的魂\n\n正文一。\n\n"
        "别让打卡变了味\n\n考核是为了推动工作。\n\n（田野）"
    )
    result = parse_page(text)
    article, signed = result.items
    assert article.paragraphs == ["导语。", "留住老街的魂", "正文一。"]
    assert (signed.headline, credits(signed)) == ("别让打卡变了味", [("田野", "author")])
    assert (11, "signature") in [(w.line, w.code) for w in result.warnings]


def test_short_bracketed_words_are_not_signatures():
    (item,) = parse_page("标题\n\n本报讯(记者 王海)正文。\n\n（待续）").items
    assert credits(item) == [("王海", "reporter")]
    assert item.paragraphs == ["正文。", "（待续）"]


@pytest.mark.parametrize(
    "text, continued_on, continued_from, last",
    [
        ("标题\n\n本报讯(记者 王海)正文，让更多企业（下转第3版）", 3, None, "正文，让更多企业"),
        # 转第N版 without 下 is a jump too (issue 23): the story goes on on page 2.
        ("标题\n\n本报讯(记者 王海)正文，让更多企业（转第2版）", 2, None, "正文，让更多企业"),
        ("标题\n\n本报讯(记者 王海)正文。\n\n（转第二版）", 2, None, "正文。"),
        ("标题\n\n本报讯(记者 王海)正文。\n\n（下转第十二版）", 12, None, "正文。"),
        ("转版标题\n\n（上接第1版）获得更便捷的服务。", None, 1, "获得更便捷的服务。"),
        ("转版标题\n\n(上接1版)\n\n获得更便捷的服务。", None, 1, "获得更便捷的服务。"),
    ],
)
def test_jump_lines_mark_where_a_story_goes_on_and_where_it_came_from(
    text, continued_on, continued_from, last
):
    (item,) = parse_page(text).items
    assert (item.continued_on, item.continued_from, item.paragraphs[-1]) == (
        continued_on,
        continued_from,
        last,
    )


def test_paragraphs_indented_with_full_width_spaces_are_read_by_their_indent():
    indent = "\u3000\u3000"
    text = (
        f"标题\n本报记者 龚雅琴\n{indent}第一段。\n{indent}第二段的前半句，\n后半句。\n"
        f"{indent}第三段写完了一句。\n又接着写了一句。\n{indent}小厨房办成了大事情\n{indent}第四段。"
    )
    (item,) = parse_page(text).items
    assert item.paragraphs == [
        "第一段。",
        "第二段的前半句，后半句。",
        "第三段写完了一句。又接着写了一句。",
        "小厨房办成了大事情",
        "第四段。",
    ]
    assert item.intertitles == ["小厨房办成了大事情"]


@pytest.mark.parametrize(
    "text, line, reason",
    [
        (
            "标题\n\n本报讯(记者 王海)正文。\n\n宋卫东 摄",
            5,
            "a photo credit with no caption above it",
        ),
        (
            "（下转第3版）\n\n标题\n\n本报讯(记者 王海)正文。",
            1,
            "a jump line that follows no article",
        ),
        (
            "图片标题\n\n说明文字。\n\n王海 摄\n\n另一个标题\n\n一段没有署名的文字。",
            7,
            "a headline with no dateline, byline or signature",
        ),
        (
            "标题\n\n正文。\n\n本报讯(记者 王海)没有标题的正文。",
            5,
            "a dateline or byline with no headline",
        ),
    ],
)
def test_a_page_that_cannot_be_read_is_refused_with_the_line_and_the_reason(text, line, reason):
    with translation.override("en"), pytest.raises(PageFormatError) as refused:
        parse_page(text)
    assert refused.value.line == line
    assert str(refused.value).startswith(f"line {line}: {reason}")


BETWEEN = (
    "樱花盛开\n\n本报讯(记者 王海)赏花客流迎来高峰。\n\n"
    "3月18日，游客在樱花树下拍照。\n\n{credit} 摄\n\n"
    "春耕忙\n\n本报讯(记者 {below})农民平整稻田。"
)


@pytest.mark.parametrize(
    "credit, below, owner, rule",
    [
        # The credit names the photographer of the article below: it is that article's picture.
        ("吕晨", "吕晨", "春耕忙", "byline"),
        # Named in neither byline: the nearer article by layout, then the caption, decides.
        ("吕晨", "李想", "樱花盛开", "one scene"),
        # The credit names the reporter above: above, whatever the gaps.
        ("王海", "李想", "樱花盛开", "byline"),
    ],
)
def test_a_picture_between_two_articles_goes_to_the_one_whose_byline_names_its_photographer(
    credit, below, owner, rule
):
    with translation.override("en"):
        result = parse_page(BETWEEN.format(credit=credit, below=below))
    owners = [item.headline for item in result.items if item.photos]
    assert owners == [owner]
    (warning,) = [w for w in result.warnings if w.code == "picture"]
    assert owner in warning.message and rule in warning.message


@pytest.mark.parametrize(
    "dateline, source, bylines, text",
    [
        # Any paper's name before 讯, not only one ending in 报 (issue 29).
        (
            "南都讯　记者刘凡　周昌和　继推出日票后，深圳将设头等车厢。",
            "南都讯",
            [("刘凡", "reporter"), ("周昌和", "reporter")],
            "继推出日票后，深圳将设头等车厢。",
        ),
        ("北方网讯 会议召开。", "北方网讯", [], "会议召开。"),
        ("江城讯（记者 王海）会议召开。", "江城讯", [("王海", "reporter")], "会议召开。"),
        ("中国网６月１１日讯　宣传周今天启动。", "中国网６月１１日讯", [], "宣传周今天启动。"),
        # 消息 forms.
        ("北方网消息：会议召开。", "北方网消息", [], "会议召开。"),
        (
            "荆楚网消息（记者张扬　通讯员殷莉红、刘永慧）５月３１日，会议召开。",
            "荆楚网消息",
            [("张扬", "reporter"), ("殷莉红", "correspondent"), ("刘永慧", "correspondent")],
            "５月３１日，会议召开。",
        ),
        (
            "中广网唐山６月１２日消息（记者汤一亮　庄胜春）会议召开。",
            "中广网唐山６月１２日消息",
            [("汤一亮", "reporter"), ("庄胜春", "reporter")],
            "会议召开。",
        ),
        # Wire datelines, 据…电 and 据…报道.
        (
            "新华０８网上海６月６日电　（记者有之炘）会议召开。",
            "新华０８网上海６月６日电",
            [("有之炘", "reporter")],
            "会议召开。",
        ),
        ("本报北京电 会议召开。", "本报北京电", [], "会议召开。"),
        ("据新华社报道：会议召开。", "据新华社报道", [], "会议召开。"),
        (
            "中新网广州6月22日电（唐贵江 关悦）会议召开。",
            "中新网广州6月22日电",
            [("唐贵江", "reporter"), ("关悦", "reporter")],
            "会议召开。",
        ),
        # Brackets round the source, labels against names, slashes, names printed together.
        (
            "【深圳商报讯】（记者　肖怀礼　实习生　林芮琪）会议召开。",
            "深圳商报讯",
            [("肖怀礼", "reporter"), ("林芮琪", "intern")],
            "会议召开。",
        ),
        (
            "信息时报讯（记者李莉通讯员刘清华）会议召开。",
            "信息时报讯",
            [("李莉", "reporter"), ("刘清华", "correspondent")],
            "会议召开。",
        ),
        (
            "南方日报讯（记者／黄少宏　实习生／朱子煜）会议召开。",
            "南方日报讯",
            [("黄少宏", "reporter"), ("朱子煜", "intern")],
            "会议召开。",
        ),
        (
            "新华网温哥华６月８日电（记者　黄晓南马晓澄）会议召开。",
            "新华网温哥华６月８日电",
            [("黄晓南", "reporter"), ("马晓澄", "reporter")],
            "会议召开。",
        ),
        ("本报讯（本报评论员 王海）会议召开。", "本报讯", [("王海", "author")], "会议召开。"),
        # 报道 after the last name, spaced or printed against the text.
        (
            "新快报讯　记者　罗琼　实习生　葛晶　报道　施工不当损伤树木。",
            "新快报讯",
            [("罗琼", "reporter"), ("葛晶", "intern")],
            "施工不当损伤树木。",
        ),
        (
            "新快报讯记者张恩杰　通讯员李军涛报道酒后难耐寂寞。",
            "新快报讯",
            [("张恩杰", "reporter"), ("李军涛", "correspondent")],
            "酒后难耐寂寞。",
        ),
        # A press office's pen name right after its label is a name (issue 29).
        (
            "江城晚报讯 记者 王海 通讯员 市林宣 昨日，会议召开。",
            "江城晚报讯",
            [("王海", "reporter"), ("市林宣", "correspondent")],
            "昨日，会议召开。",
        ),
        # A credit opening the text, with no source.
        (
            "环球网记者李亮报道，正在意大利度蜜月的夫妇受到关注。",
            "",
            [("李亮", "reporter")],
            "正在意大利度蜜月的夫妇受到关注。",
        ),
    ],
)
def test_the_dateline_grammar_reads_sources_and_credits_it_was_not_written_for(
    dateline, source, bylines, text
):
    (item,) = parse_page(f"标题\n\n{dateline}\n").items
    assert (item.source, credits(item), item.paragraphs) == (source, bylines, [text])


@pytest.mark.parametrize(
    "line",
    [
        "市场资讯丰富多彩。",
        "省民政厅消息，今年将办好民生实事。",
        "今年3月1日电价上调。",
        "据新华社报道，会议召开。",
    ],
)
def test_ordinary_text_that_starts_like_a_source_stays_text(line):
    (item,) = parse_page(f"标题\n\n本报讯(记者 王海)导语。\n\n{line}\n").items
    assert item.paragraphs == ["导语。", line]


# Found on the open real corpus (../importer-corpus/open): web copy types a space
# before a closing quote, types a closing quote the wrong way round, and Latin
# names break across lines.
def test_a_stop_then_a_space_then_a_closing_quote_ends_the_paragraph():
    page = (
        "月球基地计划公布\n\n本报讯 他说：“将为登陆火星做准备。 ”\n\n"
        "作为计划的一部分，今年将分阶段发射。\n"
    )
    item = parse_page(page).items[0]
    assert item.paragraphs == [
        "他说：“将为登陆火星做准备。 ”",
        "作为计划的一部分，今年将分阶段发射。",
    ]


def test_a_stop_then_an_opening_quote_at_a_line_end_ends_the_paragraph():
    # Print never ends a line with an opening quote (避头尾): it closes the quote.
    page = "卫生官员抗击疫情\n\n本报讯 部长说：“我们正在谨慎推进。“\n\n这是第十六次疫情。\n"
    item = parse_page(page).items[0]
    assert item.paragraphs == ["部长说：“我们正在谨慎推进。“", "这是第十六次疫情。"]


def test_an_opening_quote_after_a_colon_still_runs_on():
    page = "标题\n\n本报讯 他说：“\n\n我们会继续。”\n"
    assert parse_page(page).items[0].paragraphs == ["他说：“我们会继续。”"]


def test_two_latin_words_parted_by_a_line_break_keep_their_space():
    page = (
        "标题\n"
        "　　本报讯 世卫组织总干事谭德塞(Tedros Adhanom\n"
        "Ghebreyesus)表示，已有五人康复，其中一家公司Fortem\n"
        "Tech参与了工作，共有15\n"
        "4人参加。\n"
        "　　第二段。\n"
    )
    assert parse_page(page).items[0].paragraphs == [
        "世卫组织总干事谭德塞(Tedros Adhanom Ghebreyesus)表示，已有五人康复，"
        "其中一家公司Fortem Tech参与了工作，共有154人参加。",
        "第二段。",
    ]
