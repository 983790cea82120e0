"""Import a plain-text page into an edition as draft copy.

The import is one transaction: it either writes the whole page or nothing.
Re-importing a page updates the drafts it created and duplicates nothing.

A story continued on another page (下转第3版 … 上接第1版) is one article,
placed where it starts: importing the page it continues on appends the rest
to its body (and remembers where the rest begins, so either page can be
imported again). Until the first part is imported, the rest is kept as an
article of its own on its page, linked by ``continued_from``, and joined
when the first part arrives.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from media.models import Photo, PhotoCredit
from people.models import Person

from .. import revisions, search
from ..bodytext import ends_sentence
from ..models import Article, ArticlePhoto, Byline, Edition, Page
from .parse import ParseWarning, parse_page

PERM_IMPORT = "articles.add_article"


class PageImportError(Exception):
    """The page cannot be imported; nothing was written."""


@dataclass
class ImportResult:
    page: Page
    articles: list = field(default_factory=list)  # one per item, in page order
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # matched copy past draft: left alone
    joined: list = field(default_factory=list)  # continued stories made whole
    people_created: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # the parser's, then the import's

    def outcome(self, article):
        for name in ("joined", "created", "updated", "unchanged", "kept"):
            if article in getattr(self, name):
                return name
        return ""


def check_may_import(user):
    """Refuse a user who may not file copy; None is the command line, which may."""
    if user is not None and not user.has_perm(PERM_IMPORT):
        raise PageImportError(_("you may not import pages: filing copy is not among your rights"))


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

    def __init__(self, names):
        self.by_name = {}
        # Duplicate names are allowed; the longest-standing active record wins.
        for person in Person.objects.filter(name__in=set(names)).order_by("-is_active", "pk"):
            self.by_name.setdefault(person.name, person)
        self.created = []

    def get(self, name, role):
        if name not in self.by_name:
            kind = Person.Kind.CORRESPONDENT if role == "correspondent" else Person.Kind.STAFF
            person = Person.objects.create(name=name, kind=kind)
            self.by_name[name] = person
            self.created.append(person)
        return self.by_name[name]


def _resolve_page(date, number, name):
    """Return page number of the edition of date, made if new, refusing a page name clash."""
    edition, _created = Edition.objects.get_or_create(date=date)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.PLANNING:
        raise PageImportError(
            f"the edition of {date:%Y-%m-%d} is {edition.get_status_display()}; "
            "pages can only be imported while it is being planned"
        )
    page = Page.objects.filter(edition=edition, number=number).first()
    if page is None:
        return Page.objects.create(edition=edition, number=number, name=name)
    if name and page.name and page.name != name:
        raise PageImportError(
            f"page {number} of {date:%Y-%m-%d} is already named {page.name}, not {name}"
        )
    if name and not page.name:
        page.name = name
        page.save(update_fields=["name"])
    return page


def _photo_specs(item):
    """Return [(caption, photographer names)] for the pictures an item brings."""
    if item.kind == "photo":
        names = [b.name for b in item.bylines if b.role == "photographer"]
        return [("\n\n".join(item.paragraphs), names)]
    return [(photo.caption, [b.name for b in photo.bylines]) for photo in item.photos]


def _set_bylines(article, bylines, people):
    wanted = [(people.get(b.name, b.role), b.role) for b in bylines]
    current = [(b.person, b.role) for b in article.bylines.select_related("person")]
    if current == wanted:
        return False
    article.bylines.all().delete()
    seen = set()
    for position, (person, role) in enumerate(wanted):
        if (person.pk, role) not in seen:  # a name printed twice is credited once
            seen.add((person.pk, role))
            Byline.objects.create(article=article, person=person, role=role, position=position)
    return True


def _set_credits(photo, names, people):
    if [c.person.name for c in photo.credits.select_related("person")] == names:
        return False
    photo.credits.all().delete()
    for position, name in enumerate(dict.fromkeys(names)):
        person = people.get(name, "photographer")
        PhotoCredit.objects.create(photo=photo, person=person, position=position)
    return True


def _set_photos(article, specs, people, *, keep_after=False):
    """Give an article the pictures printed with it, each waiting for its image if need be.

    The first len(specs) uses are brought in line; with keep_after, later uses
    (the pictures of a continuation printed on another page) stay.
    """
    uses = list(article.article_photos.select_related("photo").order_by("position", "pk"))
    changed = False
    for position, (caption, names) in enumerate(specs):
        if position < len(uses):
            photo = uses[position].photo
            if photo.caption != caption:
                photo.caption = caption
                photo.save(update_fields=["caption", "updated_at"])
                changed = True
        else:
            photo = Photo.objects.create(caption=caption)
            ArticlePhoto.objects.create(article=article, photo=photo, position=position)
            changed = True
        changed = _set_credits(photo, names, people) or changed
    if not keep_after:
        for use in uses[len(specs) :]:
            _drop_use(use)
            changed = True
    return changed


def _drop_use(use):
    """Remove a picture the page no longer prints; keep the photo if it has an image or other uses."""
    photo = use.photo
    use.delete()
    if not photo.image and not photo.uses.exists():
        photo.delete()


def _discard(article):
    """Delete a draft the import made and no longer needs, keeping pictures that have images."""
    for use in article.article_photos.select_related("photo"):
        _drop_use(use)
    article.delete()


def _append_photos(article, specs, people):
    """Add the pictures of a continuation that the article does not have yet."""
    captions = set(article.article_photos.values_list("photo__caption", flat=True))
    position = article.article_photos.count()
    for caption, names in specs:
        if caption in captions:
            continue
        photo = Photo.objects.create(caption=caption)
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        _set_credits(photo, names, people)
        position += 1


def _join_parts(first, rest):
    """Return the whole body and where the rest begins; a sentence cut by the jump is rejoined."""
    if not rest:
        return first, len(first)
    if not first:
        return rest, 0
    return first + ("\n\n" if ends_sentence(first) else "") + rest, len(first)


def _parts(article):
    """Return (text printed on the first page, text printed on the continuation page)."""
    if article.continuation_offset is None:
        return article.body, ""
    offset = article.continuation_offset
    return article.body[:offset], article.body[offset:].lstrip("\n")


def _bigrams(text):
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _match(head_text, tail_text):
    """Score how well a continuation's headline fits a story's head: shared character pairs.

    A jump headline repeats words of the headline or of the text cut by the jump.
    """
    return len(_bigrams(tail_text) & _bigrams(head_text))


def _pair(tail_texts, head_texts):
    """Pair continuations with heads, best matches first; return {tail index: head index}."""
    scores = sorted(
        (
            (_match(head, tail), t, h)
            for t, tail in enumerate(tail_texts)
            for h, head in enumerate(head_texts)
        ),
        reverse=True,
    )
    pairs, used = {}, set()
    for score, t, h in scores:
        if t in pairs or h in used:
            continue
        # Without a shared word, pair only what is left alone on both sides.
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

    def warn(self, item, message):
        self.result.warnings.append(ParseWarning(item.line, "continuation", message))

    def record(self, article, outcome):
        if outcome is self.result.unchanged and article in self.result.joined:
            outcome = self.result.updated
        outcome.append(article)
        self.result.articles.append(article)
        if outcome is not self.result.kept:
            revisions.record(article, user=self.user, note=_("Imported from a page"))
            search.index_article(article)

    def save_fields(self, article, fields):
        changed = [name for name, value in fields.items() if getattr(article, name) != value]
        for name in changed:
            setattr(article, name, fields[name])
        if changed:
            article.save()
        return bool(changed)

    def heads_continuing_here(self, tails):
        """Return {id(tail item): the article begun on another page that it continues}."""
        found = {}
        by_page = {}
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

    def join_waiting(self, placed):
        """Make whole the stories begun here whose continuation was imported first.

        Return the articles made whole. All the page's stories are paired with
        all the waiting continuations at once, so that a later story on the
        page is not robbed by an earlier one that shares a word.
        """
        by_page = {}
        for item, article in placed:
            if (
                item.continued_on
                and article.status == Article.Status.DRAFT
                and article.continuation_offset is None
            ):
                by_page.setdefault(item.continued_on, []).append(article)
        whole = []
        for number, heads in by_page.items():
            tails = list(
                Article.objects.filter(
                    page__edition=self.edition,
                    page__number=number,
                    continued_from=self.page.number,
                    status=Article.Status.DRAFT,
                ).order_by("position", "pk")
            )
            pairs = _pair(
                [tail.headline + tail.body[:40] for tail in tails],
                [_head_text(head) for head in heads],
            )
            for t, h in pairs.items():
                self.absorb(heads[h], tails[t])
                whole.append(heads[h])
        return whole

    def join_item(self, head, item):
        """Append the continuation printed on this page to the story begun on another."""
        first, _rest = _parts(head)
        body, offset = _join_parts(first, "\n\n".join(item.paragraphs))
        changed = self.save_fields(head, {"body": body, "continuation_offset": offset})
        _append_photos(head, _photo_specs(item), self.people)
        if item.bylines and not head.bylines.exists():
            changed = _set_bylines(head, item.bylines, self.people) or changed
        return changed

    def absorb(self, head, tail):
        """Make a story whole with the continuation imported before it, which then goes."""
        first, _rest = _parts(head)
        body, offset = _join_parts(first, tail.body)
        self.save_fields(head, {"body": body, "continuation_offset": offset})
        position = head.article_photos.count()
        for use in tail.article_photos.order_by("position", "pk"):
            if not head.article_photos.filter(photo=use.photo_id).exists():
                use.article, use.position = head, position
                use.save(update_fields=["article", "position"])
                position += 1
        if not head.bylines.exists():
            tail.bylines.update(article=head)
        _discard(tail)

    def run(self):
        result, page = self.result, self.page
        existing = {}
        for article in page.articles.order_by("pk"):
            key = _item_key(article.kind, article.headline, article.paragraphs)
            existing.setdefault(key, article)
        tails = [item for item in self.items if item.continued_from is not None]
        heads = self.heads_continuing_here(tails)
        done, placed, position = [], [], 0  # done: (article, outcome) per item
        for item in self.items:
            kind = Article.Kind.PHOTO if item.kind == "photo" else Article.Kind.NEWS
            headline = printed_headline(item)
            stale = existing.pop(_item_key(kind, headline, item.paragraphs), None)
            head = heads.get(id(item))
            if head is not None and head.status == Article.Status.DRAFT:
                # The rest of a story begun on another page: make it whole there.
                if stale is not None and stale.status == Article.Status.DRAFT:
                    _discard(stale)
                self.join_item(head, item)
                done.append((head, result.joined))
                continue
            if head is not None:
                message = _(
                    "the first part, “%(headline)s” on page %(page)s, is past draft: "
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
            article, outcome = self.place(item, kind, headline, position, stale)
            placed.append((item, article))
            done.append((article, outcome))
        for article in self.join_waiting(placed):
            result.joined.append(article)
        for article, outcome in done:
            self.record(article, outcome)
        result.people_created = self.people.created

    def place(self, item, kind, headline, position, article):
        """Write an item placed on this page; return its article and outcome list."""
        result = self.result
        paragraphs = "\n\n".join(item.paragraphs)
        fields = {
            "kind": kind,
            "kicker": item.kicker,
            "headline": headline,
            "subheadline": item.subheadline,
            "source": item.source,
            "position": position,
            "continued_on": item.continued_on,
            "continued_from": item.continued_from,
        }
        if article is None:
            article = Article.objects.create(
                page=self.page, created_by=self.user, body=paragraphs, **fields
            )
            _set_bylines(article, item.bylines, self.people)
            _set_photos(article, _photo_specs(item), self.people)
            return article, result.created
        if article.status != Article.Status.DRAFT:
            return article, result.kept
        # A story made whole keeps the part printed on the other page.
        _first, rest = _parts(article)
        body, offset = _join_parts(paragraphs, rest) if rest else (paragraphs, None)
        fields.update(body=body, continuation_offset=offset)
        if rest:
            fields["continued_on"] = item.continued_on or article.continued_on
        changed = self.save_fields(article, fields)
        changed = _set_bylines(article, item.bylines, self.people) or changed
        keep = offset is not None
        changed = _set_photos(article, _photo_specs(item), self.people, keep_after=keep) or changed
        return article, result.updated if changed else result.unchanged


def import_page(text, *, date, number, name="", user=None):
    """Parse text and write it as draft copy on page number of the edition of date."""
    check_may_import(user)
    parsed = parse_page(text)
    with transaction.atomic():
        page = _resolve_page(date, number, name)
        people = _People(
            [b.name for item in parsed.items for b in item.bylines]
            + [b.name for item in parsed.items for photo in item.photos for b in photo.bylines]
        )
        result = ImportResult(page=page, warnings=list(parsed.warnings))
        _Importer(page, parsed.items, people, user, result).run()
    return result
