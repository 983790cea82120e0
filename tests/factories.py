import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from articles.models import (
    Approval,
    Article,
    ArticlePhoto,
    Byline,
    Edition,
    Page,
    Section,
    Submission,
)
from media.models import Photo, PhotoCredit
from people.models import Person


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")
    is_staff = True


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="zh_CN")


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    date = factory.Sequence(lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n))
    number = factory.Sequence(lambda n: 1000 + n)


class PageFactory(DjangoModelFactory):
    class Meta:
        model = Page

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "要闻"


class ArticleFactory(DjangoModelFactory):
    """Copy in any state; submitted or approved copy comes with its review record.

    Approved copy is approved at every level its section asks for, each by a
    reviewer of its own (review_level=N on submitted copy: N levels passed),
    as the workflow would have recorded it: the record, not the status, is
    what placement and publication ask.
    """

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"我市召开第{n}次工作会议")
    source = "本报讯"
    body = "2月11日，全市工作会议召开。\n\n会议总结了去年的工作，安排部署了今年的主要任务。"

    @factory.post_generation
    def review_record(article, create, extracted, **kwargs):
        if not create or article.status not in ("submitted", "approved"):
            return
        if article.submissions.filter(closed_at=None).exists():
            return
        levels = article.section.review_levels if article.section_id else 1
        submission = Submission.objects.create(
            article=article, section_id=article.section_id, levels=levels
        )
        passed = levels if article.status == "approved" else min(article.review_level, levels)
        for level in range(1, passed + 1):
            Approval.objects.create(
                submission=submission, level=level, approver=UserFactory(), revision=None
            )
        Article.objects.filter(pk=article.pk).update(levels_needed=levels, review_level=passed)
        article.levels_needed, article.review_level = levels, passed


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Byline.Role.REPORTER


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo
        skip_postgeneration_save = True

    caption = "2月12日，崭新的农村公路串联起大山深处的村庄。"
    alt_text = "山间公路"
    image = factory.django.ImageField(width=64, height=48, color="green", filename="road.jpg")

    @factory.post_generation
    def renditions(photo, create, extracted, **kwargs):
        """Made, as its job makes them once the upload commits; renditions=False leaves it waiting."""
        if create and extracted is not False:
            with_renditions(photo)


def with_renditions(photo):
    """Run photo's renditions job now (the write path enqueues it); return photo, refreshed."""
    from articles.copy import services

    if photo.renditions_pending:
        services.make_photo_renditions(photo.pk, photo.file_key)
        photo.refresh_from_db()
    return photo


class PhotoCreditFactory(DjangoModelFactory):
    class Meta:
        model = PhotoCredit

    photo = factory.SubFactory(PhotoFactory)
    person = factory.SubFactory(PersonFactory)


class ArticlePhotoFactory(DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
