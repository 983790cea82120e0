import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from articles.models import Article, ArticlePhoto, Byline, Edition, Page, Section
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
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"我市召开第{n}次工作会议")
    source = "本报讯"
    body = "2月11日，全市工作会议召开。\n\n会议总结了去年的工作，安排部署了今年的主要任务。"


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Byline.Role.REPORTER


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo

    caption = "2月12日，崭新的农村公路串联起大山深处的村庄。"
    alt_text = "山间公路"
    image = factory.django.ImageField(width=64, height=48, color="green", filename="road.jpg")


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
