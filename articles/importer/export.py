"""Print a page's copy back in the plain-text layout the parser reads."""

from media.models import format_credit

from ..models import Article
from ..printing import format_dateline
from .parse import PageItem, ParsedByline


def page_items(page):
    """Return the copy placed on page as PageItems, in page order."""
    articles = (
        page.articles.exclude(status__in=[Article.Status.SPIKED, Article.Status.WITHDRAWN])
        .order_by("position", "pk")
        .prefetch_related("bylines__person")
    )
    return [
        PageItem(
            kind="photo" if article.kind == Article.Kind.PHOTO else "article",
            kicker=article.kicker,
            headline=article.headline,
            subheadline=article.subheadline,
            source=article.source,
            bylines=[ParsedByline(b.person.name, b.role) for b in article.bylines.all()],
            paragraphs=article.paragraphs,
        )
        for article in articles
    ]


def render_page(items):
    """Print items in the plain-text page layout that parse_page reads."""
    blocks = []
    for item in items:
        photographers = [b for b in item.bylines if b.role == "photographer"]
        lines = [text for text in (item.kicker, item.headline, item.subheadline) if text]
        paragraphs = list(item.paragraphs)
        if item.kind == "photo":
            lines += paragraphs
            if credit := format_credit([b.name for b in photographers]):
                lines.append(credit)
        else:
            dateline = format_dateline(item.source, item.bylines)
            if item.source and paragraphs:
                paragraphs[0] = dateline + paragraphs[0]
            elif dateline:
                lines.append(dateline)
            lines += paragraphs
        blocks.append("\n\n".join(lines))
    return "\n\n\n\n".join(blocks) + "\n"
