"""Pages the tests compose: the demo's, and others with a two-column article and photo news."""

import datetime
from functools import cache

from articles.demo import DEMO_DIR, PAGES, pictures
from articles.demo.typeset import Header, compose_page
from articles.epaper.locate import Copy
from articles.importer.parse import PageItem, ParsedByline, parse_page

DATE = datetime.date(2026, 11, 27)


def header(number=1, name="要闻"):
    return Header("滨江日报", DATE, 6125, number, name, "苏文")


def copies(items):
    """What locate() looks for on a page of items: key = position on the page."""
    return [
        Copy(
            key=index,
            texts=[item.kicker, item.headline, item.subheadline, *item.paragraphs],
            has_picture=item.kind == "photo",
        )
        for index, item in enumerate(items)
    ]


def demo_items(number):
    filename = next(f for n, _name, f in PAGES if n == number)
    return parse_page((DEMO_DIR / filename).read_text(encoding="utf-8")).items


def with_pictures(items):
    return [pictures.school_garden() if item.kind == "photo" else None for item in items]


@cache
def demo_page(number, interleave=False):
    items = demo_items(number)
    name = {1: "要闻", 2: "综合"}[number]
    pdf = compose_page(
        items, header(number, name), pictures=with_pictures(items), interleave=interleave
    )
    return items, pdf


PHOTO = PageItem(
    kind="photo",
    paragraphs=["12月3日，江北新区文化公园里，市民在新落成的银杏步道上散步拍照。"],
    bylines=[ParsedByline("陈光", "photographer")],
)
TWO_COLUMNS = PageItem(
    kind="article",
    headline="江南新城新增三所公办幼儿园",
    source="本报讯",
    bylines=[ParsedByline("许诺", "reporter")],
    paragraphs=[
        "12月2日，江南新城三所新建公办幼儿园同时开园，新增学位1080个，附近居民的孩子可就近入园。",
        "三所幼儿园均按省级标准建设，每所设有户外游戏场地和绘本馆，保教人员全部持证上岗。",
        "市教育局负责人介绍，今年全市新增公办学位3200个，明年还将在城市新区布局五所幼儿园。",
    ],
)
BRIEF = PageItem(
    kind="article",
    headline="滨江公交开通两条夜间线路",
    source="本报讯",
    bylines=[ParsedByline("林晓", "reporter")],
    paragraphs=["从12月1日起，滨江公交开通N1、N2两条夜间线路，运营时间为晚上10时至次日凌晨2时。"],
)


@cache
def composed_page(interleave=False):
    """A page of our own: a two-column article, photo news, a brief, and demo copy around them."""
    items = [TWO_COLUMNS, PHOTO, *demo_items(2)[:2], BRIEF]
    spans = [2, 2, 4, 2, 2]
    pdf = compose_page(
        items, header(3, "城市"), pictures=with_pictures(items), spans=spans, interleave=interleave
    )
    return items, pdf
