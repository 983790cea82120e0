"""Articles are found on page PDFs from their text layer, whatever the layout's order."""

import pytest

from articles.demo.typeset import COLUMNS, MARGIN, PAGE_SIZE
from articles.epaper.locate import locate

from .composing import composed_page, copies, demo_page

COLUMN_WIDTH = (PAGE_SIZE[0] - 2 * MARGIN) / COLUMNS / PAGE_SIZE[0]


def overlap(a, b):
    """Return the area shared by two zones (fractions of the page)."""
    width = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    height = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return max(0, width) * max(0, height)


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("interleave", [False, True], ids=["story-order", "row-order"])
def test_every_article_of_the_demo_pages_is_found(number, interleave):
    items, pdf = demo_page(number, interleave)
    zones = locate(pdf, copies(items))
    assert sorted(zones) == list(range(len(items)))
    for zone in zones.values():
        assert zone.score > 0.9
        assert 0 <= zone.left and zone.left + zone.width <= 1
        assert 0 <= zone.top and zone.top + zone.height <= 1
    # Zones of different articles do not cover one another (beyond an edge).
    for a in zones:
        for b in zones:
            if a < b:
                smaller = min(z.width * z.height for z in (zones[a], zones[b]))
                assert overlap(zones[a], zones[b]) < 0.05 * smaller


@pytest.mark.parametrize("interleave", [False, True], ids=["story-order", "row-order"])
def test_a_two_column_article_and_photo_news_are_found_whole(interleave):
    items, pdf = composed_page(interleave)
    zones = locate(pdf, copies(items))
    assert sorted(zones) == list(range(len(items)))
    two_columns, photo = zones[0], zones[1]
    # Both columns, not one: the zone is wider than a column and a half.
    assert two_columns.width > 1.5 * COLUMN_WIDTH
    # The photo news zone holds its picture above the caption: the picture is
    # two-thirds as tall as it is wide; the caption alone is three lines.
    picture_height = photo.width * PAGE_SIZE[0] * 2 / 3 / PAGE_SIZE[1]
    assert photo.height > picture_height


def test_copy_that_is_not_on_the_page_is_not_found():
    items, pdf = demo_page(1)
    _, other = demo_page(2)
    assert locate(other, copies(items)) == {}


def test_a_quote_two_articles_share_is_not_what_places_either():
    items, pdf = demo_page(2)
    stories = copies(items)
    shared = "“房子还是老房子，可住着舒服多了。”"
    stories[1].texts.append(shared)  # 2's copy now also carries a sentence printed in 0
    zones = locate(pdf, stories)
    clean = locate(pdf, copies(items))
    for key in (0, 1):
        where = [(z.left, z.top, z.width, z.height) for z in (zones[key], clean[key])]
        assert where[0] == where[1]


def seed_pages(seed_text):
    """The reference page's copy (shared/, never in the project), set by our typesetter.

    Our grid is coarser than the paper's, so its copy goes on two pages.
    """
    from articles.demo.typeset import compose_page
    from articles.importer.parse import parse_page

    from .composing import header

    items = parse_page(seed_text).items
    pages, current, length = [], [], 0
    for item in items:
        size = len("".join(item.paragraphs))
        if current and length + size > 2600:
            pages.append(current)
            current, length = [], 0
        current.append(item)
        length += size
    pages.append(current)
    return {
        f"seed page, part {n}{', text in row order' if interleave else ''}": (
            part,
            compose_page(part, header(n, "综合"), interleave=interleave),
        )
        for n, part in enumerate(pages, start=1)
        for interleave in (False, True)
    }


def test_the_matching_share_on_our_pages(capsys, seed_text):
    """The figure the README reports: articles found over articles placed."""
    pages = {
        **seed_pages(seed_text),
        "demo 第1版": demo_page(1),
        "demo 第2版": demo_page(2),
        "demo 第1版, text in row order": demo_page(1, True),
        "demo 第2版, text in row order": demo_page(2, True),
        "composed (two-column, photo news, brief)": composed_page(),
        "composed, text in row order": composed_page(True),
    }
    found = total = 0
    lines = []
    for name, (items, pdf) in pages.items():
        zones = locate(pdf, copies(items))
        found, total = found + len(zones), total + len(items)
        lines.append(f"{name}: {len(zones)}/{len(items)}")
    with capsys.disabled():
        print("\nArticles located: " + "; ".join(lines) + f"; overall {found}/{total}")
    assert found == total
