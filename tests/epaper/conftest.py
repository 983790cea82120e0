import datetime

import pytest

from articles.models import Article, Edition
from tests.factories import EditionFactory, PageFactory

from .composing import demo_page


@pytest.fixture
def planned_page(db):
    """A page being planned, carrying the demo's 第1版 copy (its PDF: demo_page(1))."""
    edition = EditionFactory(date=datetime.date(2026, 11, 27), status=Edition.Status.PLANNING)
    page = PageFactory(edition=edition, number=1, name="要闻")
    items, _pdf = demo_page(1)
    for position, item in enumerate(items, start=1):
        Article.objects.create(
            kind="photo" if item.kind == "photo" else "news",
            kicker=item.kicker,
            headline=item.headline,
            subheadline=item.subheadline,
            source=item.source,
            body="\n\n".join(item.paragraphs),
            status=Article.Status.APPROVED,
            page=page,
            position=position,
        )
    return page
