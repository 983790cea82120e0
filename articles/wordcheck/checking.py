"""What the word lists find in copy: its headlines, kicker, body and captions.

check_texts() checks text as typed (the article form's live check);
findings() checks saved copy and says which hits a reviewer verified
(已核实); blocking() is what stops the final review, placement and sign-off:
blocking hits nobody allowed to has verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, WordVerification
from articles.wordcheck import lists
from articles.wordcheck.matching import Hit, Matcher
from articles.wordcheck.models import Category, Severity

# The copy's text that is printed or shown as a title, in the order of the form.
TEXT_FIELDS = (
    ("kicker", gettext_lazy("kicker")),
    ("headline", gettext_lazy("headline")),
    ("subheadline", gettext_lazy("subheadline")),
    ("web_headline", gettext_lazy("web headline")),
    ("body", gettext_lazy("body")),
)
CONTEXT = 12  # characters shown either side of a hit


@dataclass
class Finding:
    """A hit in one field of saved copy, and the verification that clears it, if any."""

    field: str
    label: str
    hit: Hit
    text: str
    verification: WordVerification | None = None

    @property
    def severity(self) -> str:
        return self.hit.severity

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCK and self.verification is None

    @property
    def category_label(self) -> str:
        return str(Category(self.hit.entry.category).label)

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    @property
    def before(self) -> str:
        start = self.hit.start - CONTEXT
        text = " ".join(self.text[max(0, start) : self.hit.start].split())
        return f"…{text}" if start > 0 else text

    @property
    def after(self) -> str:
        end = self.hit.end + CONTEXT
        text = " ".join(self.text[self.hit.end : end].split())
        return f"{text}…" if end < len(self.text) else text

    @property
    def context(self) -> str:
        found = "".join(self.hit.found.split())
        return f"{self.label}：{self.before}{found}{self.after}"


def check_texts(texts: dict[str, str], matcher: Matcher | None = None) -> dict[str, list[Hit]]:
    """Return the hits in each text (by its name), checked against the active lists."""
    matcher = matcher or lists.matcher()
    return {name: matcher.find(text or "") for name, text in texts.items()}


def texts_of(article: Article) -> list[tuple[str, str, str]]:
    """The checked text of saved copy: (field, label, text), captions last.

    Captions are read through article_photos.all(): prefetch them (with the
    photo) for a list.
    """
    texts = [(name, str(label), getattr(article, name) or "") for name, label in TEXT_FIELDS]
    if article.pk is not None:
        for number, use in enumerate(article.article_photos.all(), start=1):
            label = _("caption %(number)s") % {"number": number}
            texts.append((f"caption-{number}", label, use.display_caption or ""))
    return texts


def verifications_of(articles: Iterable[Article]) -> dict[int, list[WordVerification]]:
    """Each article's verifications, in one query."""
    found: dict[int, list[WordVerification]] = {}
    ids = [article.pk for article in articles if article.pk is not None]
    if ids:
        for verification in WordVerification.objects.filter(article__in=ids).order_by("pk"):
            found.setdefault(verification.article_id, []).append(verification)
    return found


def _clearing(hit: Hit, verifications: list[WordVerification]) -> WordVerification | None:
    """The verification that clears hit: of its word, and for a block, given as a block."""
    for verification in verifications:
        if verification.key == hit.entry.key and (
            hit.severity != Severity.BLOCK or verification.severity == Severity.BLOCK
        ):
            return verification
    return None


def findings(
    article: Article,
    *,
    matcher: Matcher | None = None,
    verifications: list[WordVerification] | None = None,
) -> list[Finding]:
    """Every hit in saved copy, each with the verification that clears it."""
    matcher = matcher or lists.matcher()
    if verifications is None:
        verifications = verifications_of([article]).get(article.pk, [])
    found = []
    for field, label, text in texts_of(article):
        for hit in matcher.find(text):
            found.append(Finding(field, label, hit, text, _clearing(hit, verifications)))
    return found


def blocking(articles: Iterable[Article]) -> dict[int, list[Finding]]:
    """The unverified blocking hits of each article that has any, in a fixed number of queries."""
    articles = list(articles)
    if not articles:
        return {}
    matcher = lists.matcher()
    if not matcher.size:
        return {}
    verifications = verifications_of(articles)
    result = {}
    for article in articles:
        hits = [
            finding
            for finding in findings(
                article, matcher=matcher, verifications=verifications.get(article.pk, [])
            )
            if finding.is_blocking
        ]
        if hits:
            result[article.pk] = hits
    return result


def words(found: Iterable[Finding]) -> str:
    """The words of findings, each once, as a sentence lists them: “根治”、“包治百病”."""
    return "、".join(f"“{word}”" for word in dict.fromkeys(f.hit.entry.word for f in found))


def describe(finding: Finding) -> str:
    """One hit in a sentence: where, the word, its category, and the list's note."""
    entry = finding.hit.entry
    text = _("%(where)s: “%(word)s” (%(category)s)") % {
        "where": finding.context,
        "word": entry.word,
        "category": finding.category_label,
    }
    if entry.replacement:
        text += _(", suggested: “%(replacement)s”") % {"replacement": entry.replacement}
    if entry.note:
        text += f" — {entry.note}"
    return text
