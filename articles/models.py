"""The app's models, gathered where Django looks for them; each concern defines its own.

Import models from here (`from articles.models import Article`), as from any
app's models module: which concern package defines a model is the app's own
business.
"""

from articles.copy.models import (
    Article,
    ArticlePhoto,
    ArticleQuerySet,
    ArticleSearch,
    Byline,
    Correction,
    Revision,
    Section,
    TaggedArticle,
    WorkingCopy,
)
from articles.desk.levels import ReviewLevel
from articles.desk.models import (
    STEP_NAMES,
    STEPS_IN_PLACE,
    Approval,
    Assignment,
    AssignmentQuerySet,
    ChangeAfterApproval,
    Comment,
    DeskQueue,
    Notification,
    NotificationSettings,
    Submission,
    TransitionLog,
)
from articles.editions.models import Edition, EditionQuerySet, Page, PageImport
from articles.epaper.models import ArticleZone
from articles.ledger.models import FeeAdjustment, FeeLine, FeeMonth, FeeRules, KindRate
from articles.site.models import FooterLink, SiteSettings
from articles.wordcheck.models import WordEntry, WordList, WordVerification

__all__ = [
    "STEP_NAMES",
    "STEPS_IN_PLACE",
    "Approval",
    "Article",
    "ArticlePhoto",
    "ArticleQuerySet",
    "ArticleSearch",
    "ArticleZone",
    "Assignment",
    "AssignmentQuerySet",
    "Byline",
    "ChangeAfterApproval",
    "Comment",
    "Correction",
    "DeskQueue",
    "Edition",
    "EditionQuerySet",
    "FeeAdjustment",
    "FeeLine",
    "FeeMonth",
    "FeeRules",
    "FooterLink",
    "KindRate",
    "Notification",
    "NotificationSettings",
    "Page",
    "PageImport",
    "ReviewLevel",
    "Revision",
    "WorkingCopy",
    "Section",
    "SiteSettings",
    "Submission",
    "TaggedArticle",
    "TransitionLog",
    "WordEntry",
    "WordList",
    "WordVerification",
]
