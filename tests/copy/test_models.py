import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.copy.bodytext import count_chars, normalize_body
from articles.models import Article, Edition, Page
from people.models import Person
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


def test_one_edition_per_date():
    EditionFactory(date="2022-02-14")
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(date="2022-02-14")


def test_one_page_number_per_edition():
    page = PageFactory(number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(edition=page.edition, number=2, name="综合")
    assert Page.objects.create(edition=EditionFactory(), number=2).number == 2


def test_page_numbers_start_at_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        PageFactory(number=0)


def test_bylines_keep_their_printed_order():
    article = ArticleFactory()
    second = BylineFactory(article=article, person__name="米雪", role="correspondent", position=1)
    first = BylineFactory(article=article, person__name="司勇", position=0)
    assert list(article.bylines.all()) == [first, second]


def test_the_same_person_is_credited_once_per_role():
    byline = BylineFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, person=byline.person, role=byline.role)


def test_only_photo_news_may_go_without_a_headline():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(headline="")
    assert ArticleFactory(headline="", kind=Article.Kind.PHOTO).pk
    with pytest.raises(ValidationError):
        Article(headline="", kind=Article.Kind.NEWS).full_clean()


def test_character_count_is_kept_on_save():
    article = ArticleFactory(body="全市信访工作会议召开。")
    assert article.char_count == 11
    article.body = "3-11岁儿童完成COVID疫苗接种。"
    article.save()
    article.refresh_from_db()
    # 3, 11 and COVID count as one word each; 岁儿童完成疫苗接种。 as nine.
    assert article.char_count == 3 + 10


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 0),
        ("我市召开信访工作会议", 10),
        ("“锦绣太原城”。", 8),
        ("覆盖率达94.76%", 5),
        ("Hello world", 2),
    ],
)
def test_character_count_counts_each_han_character_as_one(text, expected):
    assert count_chars(text) == expected


def test_body_normalization_joins_broken_lines_and_separates_paragraphs():
    assert (
        normalize_body("第一段在这里\n断开了。\n第二段。\n\n\n")
        == "第一段在这里断开了。\n\n第二段。"
    )


def test_body_normalization_keeps_intertitles_standing_between_paragraphs():
    body = "导语。\n\n老街有了新模样\n\n走进老街，青石板路刚刚翻新。"
    assert normalize_body(body) == body
    # The same words running straight into the next line start a sentence.
    assert normalize_body("老街有了新模样\n走进老街。") == "老街有了新模样走进老街。"


def test_photo_credit_line_lists_photographers_in_order():
    photo = PhotoFactory()
    PhotoCreditFactory(photo=photo, person__name="李学军", position=1)
    PhotoCreditFactory(photo=photo, person__name="宋卫东", position=0)
    assert photo.credit_line == "宋卫东 李学军 摄"


def test_per_use_caption_overrides_the_photos_own():
    use = ArticlePhotoFactory(caption="")
    assert use.display_caption == use.photo.caption
    use.caption = "本文配图说明。"
    assert use.display_caption == "本文配图说明。"


def test_people_who_share_a_name_get_distinct_slugs():
    first, second = PersonFactory(name="李涛"), PersonFactory(name="李涛")
    assert first.slug == "李涛"
    assert second.slug == "李涛-2"
    assert Person.objects.filter(name="李涛").count() == 2


def test_person_is_shown_with_their_organization():
    assert str(PersonFactory(name="米雪", organization="清徐县卫健局")) == "米雪（清徐县卫健局）"


@pytest.mark.parametrize(
    "status, minutes_ago, visible",
    [
        (Article.Status.PUBLISHED, 5, True),
        (Article.Status.PUBLISHED, -5, False),  # scheduled, not due yet
        (Article.Status.DRAFT, 5, False),
        (Article.Status.SUBMITTED, 5, False),
        (Article.Status.RETURNED, 5, False),
        (Article.Status.APPROVED, 5, False),
        (Article.Status.SPIKED, 5, False),
        (Article.Status.WITHDRAWN, 5, False),
    ],
)
def test_published_returns_only_what_a_reader_may_see(status, minutes_ago, visible):
    from datetime import timedelta

    from django.utils import timezone

    article = ArticleFactory(
        status=status, published_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    assert (article in Article.objects.published()) is visible


def test_published_editions_are_those_published_and_due():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    shown = EditionFactory(status=Edition.Status.PUBLISHED, published_at=now - timedelta(hours=1))
    EditionFactory(status=Edition.Status.PUBLISHED, published_at=now + timedelta(hours=1))
    EditionFactory(status=Edition.Status.SIGNED_OFF)
    EditionFactory(status=Edition.Status.PLANNING)
    assert list(Edition.objects.published()) == [shown]


def test_withdrawn_returns_copy_taken_down_after_it_was_public():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    taken_down = ArticleFactory(
        status=Article.Status.WITHDRAWN,
        published_at=now - timedelta(days=2),
        withdrawn_at=now - timedelta(days=1),
    )
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=now)
    ArticleFactory(status=Article.Status.SPIKED)
    # A withdrawn row that never was public (no publication time) is no takedown.
    ArticleFactory(status=Article.Status.WITHDRAWN, withdrawn_at=now)
    assert list(Article.objects.withdrawn()) == [taken_down]
    assert list(Article.objects.withdrawn(since=now - timedelta(hours=36))) == [taken_down]
    assert list(Article.objects.withdrawn(since=now - timedelta(hours=12))) == []
