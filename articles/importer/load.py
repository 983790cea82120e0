"""Import a plain-text page into an edition.

The import is one transaction: it either writes the whole page or nothing.
Everything it writes goes through the write path as the user who imports
(articles.services, articles.workflow), so imported copy is filed by them
and the desk works it like any other. Re-importing a page updates the drafts
it created and duplicates nothing.

A story continued on another page (下转第3版 … 上接第1版) is one article,
placed where it starts: importing the page it continues on appends the rest
to its body (and remembers where the rest begins, so either page can be
imported again). Until the start is imported, the rest is an article of its
own on its page, linked by ``continued_from``; when the start arrives the
rest joins it and the article it was is spiked, saying where it went.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from articles import permissions, services, workflow
from articles.copy.bodytext import ends_sentence
from articles.importer.parse import ParseWarning, parse_page
from articles.models import Article, Edition, Page
from media.models import Photo
from people.models import Person


class PageImportError(Exception):
    """The page cannot be imported; nothing was written."""


@dataclass
class ImportResult:
    page: Page
    articles: list = field(default_factory=list)  # one per item, in page order
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # matched copy past draft or not ours: left alone
    joined: list = field(default_factory=list)  # stories made whole across two pages
    people_created: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # the parser's, then the import's

    def outcome(self, article):
        for name in ("joined", "created", "updated", "unchanged", "kept"):
            if article in getattr(self, name):
                return name
        return ""


def printed_headline(item):
    """Return the headline as printed, with its column label: 老街换新颜（城市更新·一线见闻）."""
    return f"{item.headline}（{item.column}）" if item.column else item.headline


def _item_key(kind, headline, paragraphs):
    """Identify an item on its page: by headline, or a photo by its caption."""
    if kind == Article.Kind.PHOTO and not headline:
        return (kind, paragraphs[0] if paragraphs else "")
    return (kind, headline)


class _People:
    """Find people by name, creating those the paper has not credited before."""

    def __init__(self, names, user):
        self.user = user
        self.by_name = {}
        # Duplicate names are allowed; the longest-standing active record wins.
        for person in Person.objects.filter(name__in=set(names)).order_by("-is_active", "pk"):
            self.by_name.setdefault(person.name, person)
        self.created = []

    def get(self, name, role):
        if name not in self.by_name:
            kind = Person.Kind.CORRESPONDENT if role == "correspondent" else Person.Kind.STAFF
            person = services.save_person(Person(name=name, kind=kind), user=self.user)
            self.by_name[name] = person
            self.created.append(person)
        return self.by_name[name]


def _resolve_page(date, number, name, user):
    """Return page number of the edition of date, made if new, refusing a page name clash."""
    edition = Edition.objects.filter(date=date).first()
    if edition is None:
        edition = services.save_edition(Edition(date=date), user=user)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.PLANNING:
        raise PageImportError(
            f"the edition of {date:%Y-%m-%d} is {edition.get_status_display()}; "
            "pages can only be imported while it is being planned"
        )
    page = Page.objects.filter(edition=edition, number=number).first()
    if page is None:
        return services.save_page(Page(edition=edition, number=number, name=name), user=user)
    if name and page.name and page.name != name:
        raise PageImportError(
            f"page {number} of {date:%Y-%m-%d} is already named {page.name}, not {name}"
        )
    if name and not page.name:
        page.name = name
        services.save_page(page, user=user)
    return page


def _photo_specs(item):
    """Return [(caption, photographer names)] for the pictures an item brings."""
    if item.kind == "photo":
        names = [b.name for b in item.bylines if b.role == "photographer"]
        return [("\n\n".join(item.paragraphs), names)]
    return [(photo.caption, [b.name for b in photo.bylines]) for photo in item.photos]


def _credits(bylines, people):
    """The Credits of parsed bylines; a name printed twice in a role is credited once."""
    return [services.Credit(people.get(b.name, b.role), b.role) for b in bylines]


def _save_photo(photo, caption, names, people):
    """Write a picture's caption and photographers through the write path."""
    credited = [c.person.name for c in photo.credits.select_related("person")] if photo.pk else []
    photo.caption = caption
    credits = None
    if credited != names:
        credits = [people.get(name, "photographer") for name in dict.fromkeys(names)]
    return services.save_photo(photo, user=people.user, credits=credits)


def _current_uses(article):
    if article.pk is None:
        return []
    return list(article.article_photos.select_related("photo").order_by("position", "pk"))


def _printed_photos(article, specs, people, *, keep_after=False):
    """The pictures printed with an article, each waiting for its image if need be: (Uses, dropped).

    The first len(specs) uses are brought in line; with keep_after, later uses
    (the pictures of the part printed on another page) stay; otherwise they
    are dropped, and returned so that a picture that is nothing else can go.
    """
    uses = _current_uses(article)
    wanted = []
    for position, (caption, names) in enumerate(specs):
        if position < len(uses):
            photo = _save_photo(uses[position].photo, caption, names, people)
            wanted.append(services.Use(photo, uses[position].caption))
        else:
            wanted.append(services.Use(_save_photo(Photo(), caption, names, people)))
    rest = [services.Use(use.photo, use.caption) for use in uses[len(specs) :]]
    if keep_after:
        return wanted + rest, []
    return wanted, [use.photo for use in rest]


def _drop_photos(photos, user):
    """Delete the pictures the page no longer prints if they are nothing else (no image, unused)."""
    for photo in photos:
        if not photo.image and permissions.why_not_delete_photo(user, photo) is None:
            services.delete_photo(photo, user=user)


def _appended_photos(article, specs, people):
    """The article's photos with those of a continuation it does not have yet."""
    uses = [services.Use(use.photo, use.caption) for use in _current_uses(article)]
    captions = {use.photo.caption for use in uses}
    for caption, names in specs:
        if caption not in captions:
            uses.append(services.Use(_save_photo(Photo(), caption, names, people)))
    return uses


def _join_parts(first, rest):
    """Return the whole body and where the rest begins; a sentence cut by the jump is rejoined."""
    if not rest:
        return first, len(first)
    if not first:
        return rest, 0
    return first + ("\n\n" if ends_sentence(first) else "") + rest, len(first)


def _parts(article):
    """Return (text printed where the article starts, text printed on the continuation page)."""
    if article.continuation_offset is None:
        return article.body, ""
    offset = article.continuation_offset
    return article.body[:offset], article.body[offset:].lstrip("\n")


def _bigrams(text):
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _pair(tail_texts, head_texts):
    """Pair continuations with the starts they share most words with; {tail index: head index}.

    A jump headline repeats words of the headline or of the text the jump cut.
    Without a shared word, only a pair left alone on both sides is made.
    """
    scores = sorted(
        (
            (len(_bigrams(tail) & _bigrams(head)), t, h)
            for t, tail in enumerate(tail_texts)
            for h, head in enumerate(head_texts)
        ),
        reverse=True,
    )
    pairs, used = {}, set()
    for score, t, h in scores:
        if t in pairs or h in used:
            continue
        if score == 0 and (len(tail_texts) - len(pairs) > 1 or len(head_texts) - len(used) > 1):
            continue
        pairs[t] = h
        used.add(h)
    return pairs


def _head_text(article):
    first, _rest = _parts(article)
    return article.headline + (first.split("\n\n")[-1] if first else "")


class _Importer:
    """Write a parsed page's items on its page, continuations joined to their starts."""

    def __init__(self, page, items, people, user, result):
        self.page = page
        self.edition = page.edition
        self.items = items
        self.people = people
        self.user = user
        self.result = result
        self.note = _("Imported from a page")

    def warn(self, item, message):
        self.result.warnings.append(ParseWarning(item.line, "continuation", message))

    def may_change(self, article):
        return article.status == Article.Status.DRAFT and permissions.can_edit_article(
            self.user, article
        )

    def heads_continuing_here(self, tails):
        """Return {id(tail item): the article begun on another page that it continues}."""
        found, by_page = {}, {}
        for item in tails:
            by_page.setdefault(item.continued_from, []).append(item)
        for number, items in by_page.items():
            heads = list(
                Article.objects.filter(
                    page__edition=self.edition, page__number=number, continued_on=self.page.number
                ).order_by("position", "pk")
            )
            pairs = _pair(
                [item.headline + "".join(item.paragraphs[:1]) for item in items],
                [_head_text(head) for head in heads],
            )
            for t, h in pairs.items():
                found[id(items[t])] = heads[h]
        return found

    def join_item(self, head, item):
        """Append the continuation printed on this page to the story begun on another."""
        first, _rest = _parts(head)
        head.body, offset = _join_parts(first, "\n\n".join(item.paragraphs))
        bylines = None
        if item.bylines and not head.bylines.exists():
            bylines = _credits(item.bylines, self.people)
        services.save_article(
            head,
            user=self.user,
            bylines=bylines,
            photos=_appended_photos(head, _photo_specs(item), self.people),
            note=self.note,
        )
        services.set_continuation(head, user=self.user, continuation_offset=offset)

    def absorb(self, head, tail):
        """Make a story whole with its continuation imported before it; spike what it was."""
        first, _rest = _parts(head)
        head.body, offset = _join_parts(first, tail.body)
        # The continuation's pictures and (where the start has none) bylines move to the start.
        photos = [services.Use(use.photo, use.caption) for use in _current_uses(head)]
        have = {use.photo.pk for use in photos}
        photos += [
            services.Use(use.photo, use.caption)
            for use in _current_uses(tail)
            if use.photo.pk not in have
        ]
        bylines = None
        if not head.bylines.exists():
            bylines = [services.Credit(b.person, b.role) for b in tail.bylines.all()]
        services.save_article(tail, user=self.user, bylines=[], photos=[], note=self.note)
        services.save_article(head, user=self.user, bylines=bylines, photos=photos, note=self.note)
        services.set_continuation(head, user=self.user, continuation_offset=offset)
        note = _("Joined to “%(headline)s” on page %(page)s, where it begins.") % {
            "headline": head.headline,
            "page": self.page.number,
        }
        workflow.transition(tail, "spike", user=self.user, note=note)

    def join_waiting(self, placed):
        """Make whole the stories begun here whose continuation was imported first.

        All the page's stories are paired with all the waiting continuations
        at once, so that a later story is not robbed by an earlier one that
        shares a word. Return the articles made whole.
        """
        by_page = {}
        for item, article in placed:
            if item.continued_on and article.continuation_offset is None:
                if self.may_change(article):
                    by_page.setdefault(item.continued_on, []).append(article)
        whole = []
        for number, heads in by_page.items():
            tails = [
                tail
                for tail in Article.objects.filter(
                    page__edition=self.edition,
                    page__number=number,
                    continued_from=self.page.number,
                ).order_by("position", "pk")
                if self.may_change(tail)
            ]
            pairs = _pair(
                [tail.headline + tail.body[:40] for tail in tails],
                [_head_text(head) for head in heads],
            )
            for t, h in pairs.items():
                self.absorb(heads[h], tails[t])
                whole.append(heads[h])
        return whole

    def run(self):
        result, page = self.result, self.page
        existing = {}
        for article in page.articles.order_by("pk"):
            key = _item_key(article.kind, article.headline, article.paragraphs)
            existing.setdefault(key, article)
        heads = self.heads_continuing_here([i for i in self.items if i.continued_from])
        done, placed, position = [], [], 0  # done: (article, outcome) per item, in page order
        for item in self.items:
            kind = Article.Kind.PHOTO if item.kind == "photo" else Article.Kind.NEWS
            headline = printed_headline(item)
            stale = existing.pop(_item_key(kind, headline, item.paragraphs), None)
            head = heads.get(id(item))
            if head is not None and self.may_change(head):
                # The rest of a story begun on another page: make it whole there.
                self.join_item(head, item)
                done.append((head, result.joined))
                continue
            if head is not None:
                message = _(
                    "the first part, “%(headline)s” on page %(page)s, is not a draft of yours: "
                    "this part is kept as an article of its own"
                )
                self.warn(item, message % {"headline": head.headline, "page": item.continued_from})
            elif item.continued_from is not None:
                message = _(
                    "the first part on page %(page)s is not imported yet: this part is kept "
                    "as an article of its own until it is, and then joined to it"
                )
                self.warn(item, message % {"page": item.continued_from})
            position += 1
            article, outcome = self.place(item, kind, headline, stale)
            if outcome is not result.kept:
                workflow.file_on_page(article, user=self.user, page=page, position=position)
            placed.append((item, article))
            done.append((article, outcome))
        whole = self.join_waiting(placed)
        result.joined += whole
        for article, outcome in done:
            if outcome is result.unchanged and article in whole:
                outcome = result.updated
            outcome.append(article)
            result.articles.append(article)
        result.people_created = self.people.created

    def place(self, item, kind, headline, article):
        """Write an item placed on this page; return its article and outcome list."""
        result = self.result
        text = "\n\n".join(item.paragraphs)
        if article is not None and not self.may_change(article):
            return article, result.kept
        new = article is None
        if new:
            article, rest = Article(), ""
        else:
            # A story made whole keeps the part printed on the other page.
            _first, rest = _parts(article)
        body, offset = _join_parts(text, rest) if rest else (text, None)
        for name, value in {
            "kind": kind,
            "kicker": item.kicker,
            "headline": headline,
            "subheadline": item.subheadline,
            "source": item.source,
            "body": body,
        }.items():
            setattr(article, name, value)
        continuation = {
            "continued_on": item.continued_on or (article.continued_on if rest else None),
            "continued_from": item.continued_from,
            "continuation_offset": offset,
        }

        photos, dropped = _printed_photos(
            article, _photo_specs(item), self.people, keep_after=offset is not None
        )
        version = article.version
        services.save_article(
            article,
            user=self.user,
            bylines=_credits(item.bylines, self.people),
            photos=photos,
            note=self.note,
        )
        services.set_continuation(article, user=self.user, **continuation)
        _drop_photos(dropped, self.user)
        if new:
            return article, result.created
        return article, result.updated if article.version != version else result.unchanged


def import_page(text, *, date, number, name="", user):
    """Parse text and write it, as user, as draft copy on page number of the edition of date."""
    parsed = parse_page(text)
    with transaction.atomic():
        page = _resolve_page(date, number, name, user)
        people = _People(
            [b.name for item in parsed.items for b in item.bylines]
            + [b.name for item in parsed.items for photo in item.photos for b in photo.bylines],
            user,
        )
        result = ImportResult(page=page, warnings=list(parsed.warnings))
        _Importer(page, parsed.items, people, user, result).run()
    return result
