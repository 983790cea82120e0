"""The public site: the e-paper (edition → page → article) and the web pages around it.

Every article query starts from Article.objects.published() (through
PublicArticleMixin or the helpers in queries.py) and every edition query from
Edition.objects.published(); nothing else decides what readers see. Pages are
cached in urls.py; the staff preview is not.
"""

import calendar
import datetime
import hashlib
import posixpath

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from articles import permissions, search
from articles.cache import (
    ARTICLES,
    EDITIONS,
    SECTIONS,
    add_keys,
    article_key,
    edition_key,
    fragments,
    keep_not_found,
    page_key,
    person_key,
    remembered,
    section_key,
    tag_key,
)
from articles.models import Article, Byline, Edition, Page, TransitionLog
from articles.selectors import (
    bylines,
    credited,
    edition_calendar,
    in_page_order,
    latest_first,
    nearest_edition,
    page_neighbours,
    photo_uses,
    public_people,
    public_sections,
    public_tags,
    public_zones,
    related_articles,
    with_credits,
    with_photos,
)
from articles.site.chrome import kept_parts, page_context
from articles.site.filters import SearchFilter
from articles.site.qr import qr_svg
from articles.site.sitemaps import sitemap_page_count
from articles.site.structured_data import news_article

WEEKDAYS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


class PublicArticleMixin:
    """Start from the articles a reader may see."""

    def get_queryset(self):
        return Article.objects.published()


def teasers(articles, *, lead_first=False, **options):
    """Return the teasers of articles (published ones, in order), each rendered once per version.

    articles need only their pk; the copy, credits and photos are loaded for
    the teasers not kept (articles/cache.py, fragments). options are the
    teaser template's (show_photo, level …); lead_first: the first is the lead.
    """
    language = translation.get_language()
    shapes = {}
    for number, article in enumerate(articles):
        shown = {**options, "lead": True} if lead_first and number == 0 else options
        shape = ":".join(f"{name}={value}" for name, value in sorted(shown.items()))
        shapes[f"{article.pk}:{language}:{shape}"] = (article.pk, shown)
    wanted = {ident: [article_key(pk)] for ident, (pk, _shown) in shapes.items()}

    def build(missing):
        pks = [shapes[ident][0] for ident in missing]
        loaded = with_photos(with_credits(Article.objects.filter(pk__in=pks)))
        by_pk = {article.pk: article for article in loaded}
        return {
            ident: (
                render_to_string(
                    "includes/article_teaser.html",
                    {"article": by_pk[shapes[ident][0]], **shapes[ident][1]},
                ),
                (),
            )
            for ident in missing
        }

    kept = fragments("teaser", wanted, build)
    return [mark_safe(kept[ident][0]) for ident in wanted]


def _attach_to_pages(pages, articles, **options):
    """Set page.stories to the teasers of the page's articles, in page order."""
    articles = list(articles)
    html = dict(zip((a.pk for a in articles), teasers(articles, **options), strict=True))
    by_page = {}
    for article in articles:
        by_page.setdefault(article.page_id, []).append(html[article.pk])
    for page in pages:
        page.stories = by_page.get(page.pk, [])
    return pages


class HomeView(PublicArticleMixin, TemplateView):
    """The latest edition's front page, the latest news, the sections."""

    template_name = "articles/home.html"
    latest_count = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Everything below the title changes only with what these keys name
        # (any publication, correction or withdrawal moves ARTICLES): kept as
        # one fragment per language, its teasers kept per article besides.
        keys = [ARTICLES, EDITIONS, SECTIONS]
        language = translation.get_language()
        ((html, _keys),) = fragments(
            "home", {language: keys}, lambda _missing: {language: (self.render_body(), ())}
        ).values()
        add_keys(self.request, *keys)
        context["home_html"] = mark_safe(html)
        return context

    def render_body(self):
        edition = Edition.objects.published().prefetch_related("pages").first()
        pages = list(edition.pages.all()) if edition else []
        front_page = pages[0] if pages else None
        front = []
        if front_page is not None:
            front = list(in_page_order(self.get_queryset().filter(page=front_page)).only("pk"))
        latest = latest_first(
            self.get_queryset()
            .select_related("section")
            .only("pk", "kind", "headline", "web_headline", "body", "published_at", "section")
            .exclude(pk__in=[a.pk for a in front])
        )[: self.latest_count]
        front_html = teasers(front, lead_first=True, show_photo=True, level=3)
        return render_to_string(
            "includes/home_body.html",
            {
                "edition": edition,
                "pages": pages,
                "front_page": front_page,
                "front": front_html,
                "latest": latest,
            },
        )


class EditionArchiveView(TemplateView):
    """A calendar of the published editions of one month (the latest by default)."""

    template_name = "articles/edition_archive.html"

    def get_context_data(self, month=None, **kwargs):
        context = super().get_context_data(**kwargs)
        editions = Edition.objects.published()
        months = list(editions.dates("date", "month", order="DESC"))
        if month is None:
            month = months[0] if months else timezone.localdate().replace(day=1)
        elif month not in months:
            raise Http404("No edition was published that month.")
        by_date = {
            edition.date: edition
            for edition in editions.filter(date__year=month.year, date__month=month.month)
        }
        weeks = [
            [(day, by_date.get(day), day.month == month.month) for day in week]
            for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
        ]
        index = months.index(month) if month in months else None
        add_keys(self.request, EDITIONS, SECTIONS)
        context.update(
            month=month,
            weeks=weeks,
            weekdays=WEEKDAYS,
            months=months,
            editions=sorted(by_date.values(), key=lambda e: e.date),
            newer=months[index - 1] if index else None,
            older=months[index + 1] if index is not None and index + 1 < len(months) else None,
        )
        return context


class PublishedEditionMixin:
    """Find the published edition of the date in the URL."""

    def get_edition(self):
        # Remembered while EDITIONS stands (every publication or reopening of
        # an edition moves it, and nothing is kept past the next scheduled
        # publication): a render whose parts are kept asks the database nothing.
        date = self.kwargs["date"]
        fields = [field.attname for field in Edition._meta.concrete_fields]
        row = remembered(
            "edition-row",
            date,
            lambda: Edition.objects.published().filter(date=date).values_list(*fields).first(),
            keys=[EDITIONS],
        )
        if row is None:
            raise Http404("No edition was published that day.")
        return Edition.from_db(Edition.objects.db, fields, row)


def edition_nav(edition):
    """Return the part (ident, keys, build) of 上一期 / the date picker / 下一期 around edition.

    It changes when any edition is published (EDITIONS), not with the copy
    (a published edition's date stays).
    """
    language = translation.get_language()

    def build():
        context = {"edition": edition, "calendar": edition_calendar(edition)}
        return render_to_string("includes/edition_nav.html", context), ()

    return f"{edition.pk}:{language}", [EDITIONS], build


class EditionDetailView(PublishedEditionMixin, PublicArticleMixin, DetailView):
    """One edition: its pages and each page's articles."""

    template_name = "articles/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        return self.get_edition()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        language = translation.get_language()
        html = kept_parts(
            self.request,
            {
                # Its pages and their copy: every change to them moves the edition's key.
                "edition": (
                    f"{edition.pk}:{language}",
                    [edition_key(edition.pk)],
                    self.render_pages,
                ),
                "edition-nav": edition_nav(edition),
            },
        )
        add_keys(self.request, SECTIONS, EDITIONS, edition_key(edition.pk))
        kept = html["edition"]
        context.update(
            page_context(html),
            edition_title=kept["title"],
            canonical_url=f"{self.request.scheme}://{self.request.get_host()}{kept['url']}",
            edition_head_html=mark_safe(kept["head"]),
            pages_html=mark_safe(kept["pages"]),
            edition_nav_html=mark_safe(html["edition-nav"]),
        )
        return context

    def render_pages(self):
        edition = self.object
        pages = list(edition.pages.select_related("editor"))
        for page in pages:
            # Worked out once here: the template printed each of them twice
            # per page, translated and localised each time.
            page.title = f"{_('Page %(number)s') % {'number': page.number}} {page.name}"
            page.anchor = f"page-{page.number}"
            page.url = page.get_absolute_url()
        articles = list(
            in_page_order(self.get_queryset().filter(page__edition=edition)).only("pk", "page")
        )
        _attach_to_pages(pages, articles, show_photo=True, level=3)
        # Its heading too: what the page prints of the edition, worked out once.
        kept = {
            "title": str(edition),
            "url": edition.get_absolute_url(),
            "head": render_to_string("includes/edition_head.html", {"edition": edition}).strip(),
            "pages": render_to_string(
                "includes/edition_pages.html", {"edition": edition, "pages": pages, "page": None}
            ),
        }
        keys = [person_key(page.editor_id) for page in pages]
        return kept, _keys(*keys, *(article_key(article.pk) for article in articles))


class EditionPageView(PublishedEditionMixin, PublicArticleMixin, TemplateView):
    """One page of an edition with its articles in order, and the pages around it."""

    template_name = "articles/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = get_object_or_404(
            Page.objects.select_related("edition", "editor").filter(
                edition__in=Edition.objects.published()
            ),
            edition__date=self.kwargs["date"],
            number=self.kwargs["number"],
        )
        edition, language = page.edition, translation.get_language()
        keys = _keys(page_key(page.pk), person_key(page.editor_id))
        html = kept_parts(
            self.request,
            {
                # The page's copy moves its key; the list of the edition's
                # pages changes only with the edition (reopened, published),
                # which moves every page key of it.
                "epaper-page": (f"{page.pk}:{language}", keys, lambda: self.render_page(page)),
                "edition-nav": edition_nav(edition),
            },
        )
        add_keys(self.request, SECTIONS, EDITIONS, *keys)
        context.update(
            page_context(html),
            edition=edition,
            page=page,
            page_html=mark_safe(html["epaper-page"]),
            edition_nav_html=mark_safe(html["edition-nav"]),
        )
        return context

    def render_page(self, page):
        edition = page.edition
        pages = list(edition.pages.all())
        index = next(i for i, each in enumerate(pages) if each.pk == page.pk)
        for each in pages:
            each.edition = edition
        articles = list(
            in_page_order(self.get_queryset().filter(page=page)).only(
                "pk", "kind", "kicker", "headline", "web_headline", "body", "page", "position"
            )
        )
        context = {
            "edition": edition,
            "pages": pages,
            "page": page,
            "articles": articles,
            "teasers": [] if page.has_facsimile else teasers(articles, show_photo=True, level=2),
            "zones": public_zones(page) if page.has_facsimile else [],
            "previous_page": pages[index - 1] if index > 0 else None,
            "next_page": pages[index + 1] if index + 1 < len(pages) else None,
        }
        html = render_to_string("includes/epaper_page.html", context)
        return html, [article_key(article.pk) for article in articles]


def latest_front_page(request):
    """电子版: the latest published edition's 第1版 (its first page), or the archive."""
    edition = Edition.objects.published().first()
    if edition is None:
        return redirect("articles:edition-archive")
    page = edition.pages.order_by("number").first()
    if page is None:
        return redirect(edition)
    return redirect("articles:edition-page", edition.date, page.number)


def edition_for_date(request):
    """The date picker: the edition of the chosen day, or the nearest one, at its 第1版."""
    value = request.GET.get("date", "").strip()
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        return TemplateResponse(
            request,
            "articles/bad_date.html",
            {"value": value},
            status=400,
        )
    edition = nearest_edition(date)
    if edition is None:
        raise Http404("No edition has been published.")
    page = edition.pages.order_by("number").first()
    if page is None:
        return redirect(edition)
    return redirect("articles:edition-page", edition.date, page.number)


def page_file(request, date, number, name):
    """A published page's PDF or one of its pictures; nothing of an unpublished edition.

    The files are stored under unguessable names (articles.models.page_pdf_name),
    and this view is the one public address for them.
    """
    edition = get_object_or_404(Edition.objects.published(), date=date)
    page = get_object_or_404(edition.pages, number=number)
    page.edition = edition
    if not page.pdf:
        raise Http404("This page has no PDF.")
    folder = posixpath.dirname(page.pdf.name)
    if name == page.pdf_download_name:
        stored, content_type = page.pdf.name, "application/pdf"
    else:
        item = next((r for r in page.facsimile.get("renditions", []) if r["name"] == name), None)
        if item is None:
            raise Http404("No such picture of this page.")
        stored, content_type = posixpath.join(folder, name), item["content_type"]
    try:
        handle = page.pdf.storage.open(stored, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, content_type=content_type)
    if content_type == "application/pdf":
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Pictures are named by their content; a page PDF may be replaced only
    # while its edition is being planned, before it is ever served here.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def article_page_queryset(queryset):
    """Fetch the article with its section, page and edition: all the page needs beside fragments.

    The section bar marks the article's section; the page and its edition
    say whether readers may be told where it was printed.
    """
    return queryset.select_related("section", "page__edition")


def load_story(article):
    """Load what the article's story and head print, in a fixed number of queries."""
    prefetch_related_objects([article], bylines(), *photo_uses(), "tags", "corrections")


class ArticleDetailView(PublicArticleMixin, DetailView):
    """A published article; 410 Gone once withdrawn, 404 for anything else."""

    template_name = "articles/article_detail.html"
    is_preview = False
    object_path = None  # the article's address, when remembered with it

    def get_queryset(self):
        # What the page needs while its parts are kept: which article, and
        # the keys of what they show. The rest is loaded to build a part.
        return super().get_queryset().only("pk", "section_id", "page_id")

    def get_object(self, queryset=None):
        if self.is_preview:
            return super().get_object(queryset)
        # Remembered while the article's key stands (its publication,
        # withdrawal, move or placement moves it): a render whose parts are
        # kept then asks the database nothing.
        # Its address too, which reverse() took longer to work out than the
        # rest of this (per script prefix: a row names its own).
        pk, prefix = self.kwargs["pk"], get_script_prefix()

        def find():
            row = self.get_queryset().filter(pk=pk).values_list("pk", "section_id", "page_id")
            found = row.first()
            return None if found is None else (*found, reverse("articles:detail", args=[pk]))

        row = remembered("article-row", (pk, prefix), find, keys=[article_key(pk)])
        if row is None:
            raise Http404("No published article with that number")
        self.object_path = row[3]
        return Article.from_db(Article.objects.db, ["id", "section_id", "page_id"], row[:3])

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            gone = Article.objects.withdrawn().filter(pk=kwargs["pk"]).first()
            if gone is not None:
                add_keys(request, article_key(gone.pk))
                note = (
                    TransitionLog.objects.filter(article=gone, action="withdraw")
                    .order_by("-at", "-pk")
                    .values_list("note", flat=True)
                    .first()
                )
                return TemplateResponse(
                    request,
                    "articles/article_gone.html",
                    {"article": gone, "note": note or ""},
                    status=410,
                )
            if not self.is_preview and Article.objects.filter(pk=kwargs["pk"]).exists():
                # Copy that exists but is not out yet: its publication drops this.
                keep_not_found(request, article_key(kwargs["pk"]))
            raise

    def get_context_data(self, **kwargs):
        """Add the story, its head, the links around it and the related articles.

        Readers' pages keep each part as a fragment while what it shows stands
        (articles/cache.py), all read in one round trip with the section bar
        and the footer; the preview renders them anew.
        """
        context = super().get_context_data(**kwargs)
        article, request = self.object, self.request
        canonical = request.build_absolute_uri(self.object_path or article.get_absolute_url())
        language = translation.get_language()
        parts = {
            # name: (ident, keys, build)
            "article": (
                f"{article.pk}:{language}:{canonical}",
                [article_key(article.pk)],
                lambda: (self.render_story(canonical), ()),
            ),
            "story-nav": (
                f"{article.pk}:{language}",
                # Its neighbours on the page, and whether the page may be named
                # (the edition's publication moves the keys of its pages).
                _keys(article_key(article.pk), page_key(article.page_id)),
                lambda: (self.render_story_nav(), ()),
            ),
            "related": (
                f"{article.pk}:{language}",
                [article_key(article.pk)],
                lambda: self.render_related(),
            ),
        }
        html = kept_parts(request, parts, section=article.section_id, preview=self.is_preview)
        context.update(
            page_context(html),
            title=html["article"]["title"],
            meta_html=mark_safe(html["article"]["meta"]),
            # The story, the links around it, the QR code and the related
            # articles, one after the other: one variable for the template.
            body_html=mark_safe(
                "\n\n".join(
                    [
                        html["article"]["story"],
                        html["story-nav"],
                        html["article"]["share"],
                        html["related"],
                    ]
                )
            ),
            is_preview=self.is_preview,
            canonical_url=canonical,
        )
        return context

    def render_story(self, canonical):
        article = self.loaded()
        load_story(article)
        tags = list(article.tags.all())
        photos = list(article.article_photos.all())
        context = {
            "article": article,
            "tags": tags,
            "photos": photos,
            "lead_photo": next((use.photo for use in photos if use.photo.image), None),
            "corrections": list(article.corrections.all()),
            "canonical_url": canonical,
            "description": article.summary or next(iter(article.paragraphs), ""),
            "structured_data": news_article(self.request, article, canonical),
            "is_preview": self.is_preview,
            "site_name": settings.NEWSPAPER_NAME,
        }
        return {
            "title": article.title,
            "meta": render_to_string("includes/article_meta.html", context),
            "story": render_to_string("includes/article_story.html", context),
            # Kept with the story: the QR code of its address, drawn once.
            "share": render_to_string(
                "includes/article_share.html",
                {"canonical_url": canonical, "qr_code": qr_svg(canonical)},
            ).strip(),
        }

    def render_story_nav(self):
        """上一篇/下一篇 and back to the page, once readers may be told of the page."""
        article = self.loaded()
        if article.page_id is None or not (article.placement_is_public or self.is_preview):
            return ""
        previous, following = page_neighbours(article)
        return render_to_string(
            "includes/story_nav.html",
            {"article": article, "previous_article": previous, "next_article": following},
        )

    def render_related(self):
        article = self.loaded()
        items = related_articles(article, list(article.tags.all()))
        html = render_to_string("includes/related.html", {"related": items})
        return html, [article_key(item.pk) for item in items]

    def loaded(self):
        """Return the article with everything its parts print (loaded once, only to build one)."""
        if not hasattr(self, "_loaded"):
            article = self.object
            if not self.is_preview:
                article = article_page_queryset(Article.objects.all()).get(pk=article.pk)
            article.placement_is_public = (
                article.page_id is not None and article.page.edition.is_public
            )
            self._loaded = article
        return self._loaded


def _keys(*keys):
    return [key for key in keys if key]


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(LoginRequiredMixin, ArticleDetailView):
    """Copy in any state as readers would see it, for those who may see it in the newsroom.

    Editors preview everything; filers their own copy. Never cached, never indexed.
    """

    login_url = reverse_lazy("admin:login")
    is_preview = True

    def get_queryset(self):
        # The one public view that shows unpublished copy: who may see which
        # copy is the newsroom's rule, not the public one.
        queryset = article_page_queryset(Article.objects.all())
        return permissions.visible_articles(self.request.user, queryset)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ArticleListView(PublicArticleMixin, ListView):
    """Published articles, newest first, paginated."""

    paginate_by = 20
    context_object_name = "articles"

    def get_queryset(self):
        return latest_first(with_photos(with_credits(super().get_queryset())))


class SectionView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(public_sections(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        add_keys(self.request, SECTIONS, section_key(self.section.pk))
        return super().get_context_data(section=self.section, **kwargs)


class TagView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(public_tags(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        add_keys(self.request, SECTIONS, tag_key(self.tag.pk))
        return super().get_context_data(tag=self.tag, **kwargs)


class PersonView(ArticleListView):
    """A person's published work and the roles they were credited in."""

    template_name = "people/person_detail.html"

    def get_queryset(self):
        self.person = get_object_or_404(public_people(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(credited(self.person)).distinct()

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        roles = set(
            Byline.objects.filter(person=self.person, article__in=published).values_list(
                "role", flat=True
            )
        )
        if published.filter(article_photos__photo__credits__person=self.person).exists():
            roles.add(Byline.Role.PHOTOGRAPHER)
        add_keys(self.request, SECTIONS, person_key(self.person.pk))
        return super().get_context_data(
            person=self.person,
            roles=[role.label for role in Byline.Role if role in roles],
            **kwargs,
        )


# What a search result prints beside its kept frame: title and snippet.
RESULT_FIELDS = ("pk", "kind", "headline", "web_headline", "body", "published_at")
# Where a kept result's title and snippet go. Escaped text never holds "<".
TITLE_SLOT, SNIPPET_SLOT = "<!--title-->", "<!--snippet-->"
PK_MARK = 987654321987654321  # no article's: where a link's pk goes


def search_results(articles, query):
    """Return the search results of articles for query, each one's frame kept per version.

    The frame (the link, credits, time and section) is the same whatever was
    typed: it is rendered once per article version, and only the title and
    snippet, highlighted for query, are put in it per request.
    """
    # Per script prefix too: the frame holds its links (as the article's row does).
    language, prefix = translation.get_language(), get_script_prefix()
    wanted = {f"{a.pk}:{language}:{prefix}": [article_key(a.pk)] for a in articles}

    def build(missing):
        pks = [int(ident.split(":", 1)[0]) for ident in missing]
        # Only what the frame prints: not the copy, nor the search columns.
        # (The page and its edition: print copy is dated by its edition.)
        shown = with_credits(Article.objects.filter(pk__in=pks)).only(
            "pk", "kind", "published_at", "section", "page__edition__date"
        )
        loaded = {article.pk: article for article in shown}
        slots = {"title": mark_safe(TITLE_SLOT), "snippet": mark_safe(SNIPPET_SLOT)}
        # One reverse() for the links to the articles (Article.get_absolute_url:
        # they differ by the pk alone) and one a section, not two a result.
        link = reverse("articles:detail", args=[PK_MARK])
        section_urls = {}
        built = {}
        for ident, pk in zip(missing, pks, strict=True):
            article = loaded[pk]
            if article.section_id not in section_urls:
                section_urls[article.section_id] = (
                    article.section.get_absolute_url() if article.section else ""
                )
            context = {
                "article": article,
                "url": link.replace(str(PK_MARK), str(pk)),
                "section_url": section_urls[article.section_id],
                **slots,
            }
            html = render_to_string("includes/search_result.html", context)
            # The page's loop puts each result on a line of its own.
            head, rest = html.rstrip("\n").split(TITLE_SLOT)
            built[ident] = ((head, *rest.split(SNIPPET_SLOT)), ())
        return built

    kept = fragments("search-result", wanted, build) if wanted else {}
    results = []
    for article in articles:
        head, middle, tail = kept[f"{article.pk}:{language}:{prefix}"][0]
        title = search.highlight(str(article), query)
        snippet = search.snippet(" ".join(article.paragraphs), query)
        results.append(SafeString(f"{head}{title}{middle}{snippet}{tail}"))
    return results


class SearchPaginator(Paginator):
    """Pages of search.Ranked results, counted no further than search.COUNT_LIMIT (and one more)."""

    def page(self, number):
        # Past the limit the count is not the end of the results: fill each page.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count <= search.query.COUNT_LIMIT:
            top = min(top, self.count)
        return self._get_page(self.object_list[bottom:top], number, self)


class SearchView(PublicArticleMixin, ListView):
    """Published articles matching what a reader typed, with filters and snippets.

    Page-cached like any list of the newest copy: the words readers look for
    are few at a time (the news of the day), and every change to published
    copy moves ARTICLES. Queries typed once are kept for nothing more than a
    while; the cache's Redis evicts them first (allkeys-lru).
    """

    PARAMS = ("q", "sort", "page", *SearchFilter.params())

    template_name = "articles/search.html"
    paginate_by = 20
    paginator_class = SearchPaginator
    context_object_name = "articles"
    SORTS = {"relevance": _("relevance"), "newest": _("newest")}

    def get_queryset(self):
        self.query = search.parse(self.request.GET.get("q", ""))
        self.sort = self.request.GET.get("sort")
        if self.sort not in self.SORTS:
            self.sort = "relevance"
        published = super().get_queryset()
        if SearchFilter.asked(self.request.GET):
            published = self.filterset.qs

        # A result's credits, date and section are kept per article version
        # (search_results): the results query reads only what the title and snippet need.
        def load(queryset):
            return queryset.select_related(None).only(*RESULT_FIELDS)

        # Newest first too: the newest matches are looked for in the last month
        # first, where a common word's whole history is not read for a page.
        by_rank = self.sort == "relevance"
        return search.Ranked(published, self.query, load=load, by_rank=by_rank)

    @cached_property
    def filterset(self):
        # Most searches narrow nothing: the filterset (its filters and form
        # deep-copied, the form validated) is built only when they do, or when
        # the filters' part is built (filters()).
        return SearchFilter(self.request.GET or None, queryset=super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        add_keys(self.request, ARTICLES, SECTIONS)
        parts = kept_parts(self.request, {"filters": self.filters()})
        context.update(
            page_context(parts),
            query=self.query,
            results=search_results(context["articles"], self.query),
            count_limit=search.query.COUNT_LIMIT,
            filters_html=mark_safe(parts["filters"]),
            page_query=params.urlencode(),
        )
        return context

    def filters(self):
        """The filters as a part: its lists (sections, years, days) cost more than the results.

        Kept per language, year (the years listed) and the values the form
        reads, while the section list stands.
        """
        values = [(name, self.request.GET.getlist(name)) for name in SearchFilter.params()]
        where = repr((timezone.localdate().year, self.sort, values))
        ident = f"{translation.get_language()}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"

        def build():
            context = {"filter": self.filterset, "sorts": self.SORTS.items(), "sort": self.sort}
            return render_to_string("includes/search_filters.html", context), ()

        return ident, [SECTIONS], build


SUGGESTIONS = 10


def suggest(request, kind):
    """Names for the search form's person and tag boxes: only people and tags readers see."""
    typed = request.GET.get("q", "").strip()[:20]
    # Who and what readers see changes with any publication or withdrawal.
    add_keys(request, ARTICLES)
    if not typed:
        return JsonResponse({"results": []})
    if kind == "people":
        found = public_people().filter(name__contains=typed).order_by("name")
        results = [{"value": p.name, "label": p.name} for p in found[:SUGGESTIONS]]
    else:
        found = public_tags().filter(name__icontains=typed).order_by("name")
        results = [{"value": t.name, "label": t.name} for t in found[:SUGGESTIONS]]
    return JsonResponse({"results": results})


def robots_txt(request):
    """Name the sitemaps (every page of the main one) and keep crawlers out of staff URLs."""
    add_keys(request, ARTICLES, EDITIONS)
    sitemap = request.build_absolute_uri(reverse("articles:sitemap"))
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {get_script_prefix()}preview/",
        "",
        f"Sitemap: {sitemap}",
        *(f"Sitemap: {sitemap}?p={n}" for n in range(2, sitemap_page_count() + 1)),
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
