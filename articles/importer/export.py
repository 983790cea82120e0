"""Print a page's copy back in the plain-text layout the parser reads.

What render_page prints, parse_page reads back as the same items: headline
stacks (a column label in brackets after the headline), an article's
pictures between its headline and its dateline, the dateline leading the
first paragraph, intertitles as paragraphs of their own, jump lines.
"""

from django.db.models import Prefetch

from articles.copy.bodytext import ends_sentence, is_intertitle
from articles.copy.printing import format_dateline
from articles.importer.parse import PageItem, PagePhoto, ParsedByline, split_column
from articles.models import Article, ArticlePhoto
from media.models import format_credit

# Copy that will not run (or was taken down) is not printed on the page.
_NOT_PRINTED = {"status__in": [Article.Status.SPIKED, Article.Status.WITHDRAWN]}


def intertitles_of(paragraphs):
    """Return the paragraphs that read as intertitles: short, unpunctuated, between paragraphs."""
    found = []
    for k in range(1, len(paragraphs) - 1):
        before = paragraphs[k - 1]
        if is_intertitle(paragraphs[k]) and (ends_sentence(before) or before in found):
            found.append(paragraphs[k])
    return found


def _printed_parts(article):
    """Return (paragraphs printed where the article starts, those on its continuation page)."""
    paragraphs = article.paragraphs
    if article.continuation_offset is None:
        return paragraphs, []
    first = article.body[: article.continuation_offset]
    rest = article.body[article.continuation_offset :]
    return [p for p in first.split("\n\n") if p.strip()], [
        p.strip() for p in rest.split("\n\n") if p.strip()
    ]


def _photos(article):
    return [
        PagePhoto(
            use.display_caption,
            [ParsedByline(c.person.name, "photographer") for c in use.photo.credits.all()],
        )
        for use in article.article_photos.all()
    ]


def _prefetched(queryset):
    return queryset.prefetch_related(
        "bylines__person",
        Prefetch(
            "article_photos",
            queryset=ArticlePhoto.objects.select_related("photo").prefetch_related(
                "photo__credits__person"
            ),
        ),
    ).select_related("page")


def page_items(page):
    """Return the copy printed on page as PageItems, in page order.

    A story continued from another page of the edition is printed after the
    page's own copy, as its continuation (上接第N版).
    """
    articles = _prefetched(page.articles.exclude(**_NOT_PRINTED).order_by("position", "pk"))
    items = []
    for article in articles:
        headline, column = split_column(article.headline)
        first, _rest = _printed_parts(article)
        photo_news = article.kind == Article.Kind.PHOTO
        items.append(
            PageItem(
                kind="photo" if photo_news else "article",
                kicker=article.kicker,
                headline=headline,
                subheadline=article.subheadline,
                column=column,
                source=article.source,
                bylines=[ParsedByline(b.person.name, b.role) for b in article.bylines.all()],
                paragraphs=first,
                intertitles=[] if photo_news else intertitles_of(first),
                photos=[] if photo_news else _photos(article),
                continued_on=article.continued_on,
                continued_from=article.continued_from,
            )
        )
    continued = _prefetched(
        Article.objects.filter(
            page__edition_id=page.edition_id,
            continued_on=page.number,
            continuation_offset__isnull=False,
        )
        .exclude(**_NOT_PRINTED)
        .order_by("page__number", "position", "pk")
    )
    for article in continued:
        headline, _column = split_column(article.headline)
        _first, rest = _printed_parts(article)
        items.append(
            PageItem(
                kind="article",
                headline=headline,
                paragraphs=rest,
                intertitles=intertitles_of(rest),
                continued_from=article.page.number,
            )
        )
    return items


def _credit_line(item):
    """Return the byline line of an article without a dateline: 本报记者 许诺, 作者：许晴."""
    if item.bylines and {b.role for b in item.bylines} == {"author"}:
        return "作者：" + " ".join(b.name for b in item.bylines)
    return format_dateline("", item.bylines)


def render_page(items):
    """Print items in the plain-text page layout that parse_page reads."""
    blocks = []
    for item in items:
        headline = f"{item.headline}（{item.column}）" if item.column else item.headline
        lines = [text for text in (item.kicker, headline, item.subheadline) if text]
        paragraphs = list(item.paragraphs)
        if item.kind == "photo":
            lines += paragraphs
            names = [b.name for b in item.bylines if b.role == "photographer"]
            if credit := format_credit(names):
                lines.append(credit)
            blocks.append("\n\n".join(lines))
            continue
        for photo in item.photos:
            # A picture without a credit cannot be told from text; its caption stays in the admin.
            if credit := format_credit([b.name for b in photo.bylines]):
                lines += [photo.caption, credit]
        if item.continued_from:
            lines.append(f"（上接第{item.continued_from}版）")
        if item.source:
            dateline = format_dateline(item.source, item.bylines)
            if paragraphs:
                paragraphs[0] = dateline + paragraphs[0]
            else:
                lines.append(dateline)
        elif item.bylines:
            lines.append(_credit_line(item))
        if item.continued_on:
            jump = f"（下转第{item.continued_on}版）"
            if paragraphs:
                paragraphs[-1] += jump
            else:
                paragraphs.append(jump)
        lines += paragraphs
        blocks.append("\n\n".join(lines))
    return "\n\n\n\n".join(blocks) + "\n"
