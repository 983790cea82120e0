"""审校 word lists and the record of hits verified (已核实)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.copy.models import Article
from articles.desk.levels import ReviewLevel
from newsroom.fields import actor_field, version_field


class Category(models.TextChoices):
    """What kind of word an entry is: the newsroom's usual lists."""

    BANNED = "banned", _("banned word")
    CAUTION = "caution", _("word to use with care")
    TYPO = "typo", _("common misspelling")
    ADVERTISING = "advertising", _("advertising-law term")
    TITLE = "title", _("proper name or title")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    """What a hit does: stops the copy, is shown to reviewers, or offers a fix."""

    BLOCK = "block", _("block")
    WARN = "warn", _("warn")
    FIX = "fix", _("fix")


class WordList(models.Model):
    """A list of words the desk checks copy against (禁用词, 错别字…), kept in the admin.

    stamp changes with every change of the list or its entries: each process
    compares the stamps of the active lists with those its automaton was
    built from (articles.wordcheck.lists) and rebuilds when they differ.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Copy is checked against active lists only.")
    )
    stamp = models.UUIDField(_("stamp"), default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = actor_field(_("updated by"))
    version = version_field()

    class Meta:
        verbose_name = _("word list")
        verbose_name_plural = _("word lists (审校)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WordEntry(models.Model):
    """A word or phrase of a list, with its category, severity, suggested fix and note."""

    word_list = models.ForeignKey(
        WordList, verbose_name=_("word list"), on_delete=models.CASCADE, related_name="entries"
    )
    word = models.CharField(_("word or phrase"), max_length=64)
    key = models.CharField(_("as matched"), max_length=64, editable=False)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.CAUTION
    )
    severity = models.CharField(
        _("severity"),
        max_length=8,
        choices=Severity.choices,
        default=Severity.WARN,
        help_text=_(
            "Block: the final review, placement and sign-off are refused until the word is "
            "removed or verified by the chief editor. Warn: shown to each reviewer. "
            "Fix: a suggested replacement, applied with one click."
        ),
    )
    replacement = models.CharField(
        _("suggested replacement"),
        max_length=64,
        blank=True,
        help_text=_("Required for a fix: 按装 → 安装."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Why."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = actor_field(_("updated by"))

    class Meta:
        verbose_name = _("word list entry")
        verbose_name_plural = _("word list entries")
        ordering = ["word_list", "key"]
        constraints = [
            models.UniqueConstraint(fields=["word_list", "key"], name="unique_word_in_list"),
        ]

    def __str__(self):
        return self.word


class WordVerification(models.Model):
    """A hit marked 已核实 by a reviewer: the word, where, who, when and why, as it was then.

    The facts are copied, never looked up again: a later change of the entry
    or of the copy does not change what was verified.
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="word_verifications",
    )
    word = models.CharField(_("word"), max_length=64)
    key = models.CharField(_("as matched"), max_length=64, db_index=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    entry_note = models.CharField(_("the list's note"), max_length=200, blank=True)
    list_name = models.CharField(_("word list"), max_length=64, blank=True)
    context = models.CharField(_("where"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("copy was"), max_length=16, choices=Article.Status.choices)
    level = models.PositiveSmallIntegerField(
        _("at review level"), choices=ReviewLevel.choices, null=True, blank=True
    )
    revision = models.PositiveIntegerField(_("at revision"), null=True, blank=True)
    verified_by = actor_field(_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("verified word")
        verbose_name_plural = _("verified words (已核实)")
        ordering = ["-verified_at", "-pk"]
        permissions = [
            ("verify_blocked_word", _("Can verify a blocking word (已核实) so copy may run")),
        ]

    def __str__(self):
        return self.word
