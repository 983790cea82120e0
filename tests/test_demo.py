from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, Edition, Page, Section
from media.models import Photo
from people.models import Person
from people.roles import Role

pytestmark = pytest.mark.django_db


def load(settings, *args):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    User = get_user_model()
    return [m.objects.count() for m in (User, Person, Section, Edition, Page, Article, Photo)]


def test_demo_loads_a_published_edition_with_photos(settings):
    load(settings)
    edition = Edition.objects.get()
    assert edition.status == Edition.Status.PUBLISHED
    assert [(p.number, p.name) for p in edition.pages.all()] == [(1, "要闻"), (2, "综合")]
    articles = Article.objects.filter(page__edition=edition)
    assert articles.count() == 8
    assert set(articles.values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    assert all(article.published_at for article in articles)
    photo_news = articles.filter(kind=Article.Kind.PHOTO)
    assert photo_news.count() == 2
    for item in photo_news:
        photo = item.photos.get()
        assert photo.image and photo.width > 0 and photo.alt_text
        assert photo.credit_line.endswith(" 摄")


def test_demo_page_has_the_layout_of_a_real_page(settings):
    load(settings)
    lead = Article.objects.get(headline="滨江首条过江隧道全线贯通")
    assert lead.kicker and lead.subheadline
    assert [(b.person.name, b.role) for b in lead.bylines.all()] == [
        ("林晓", "reporter"),
        ("周敏", "correspondent"),
    ]
    # The layout broke a paragraph mid-sentence; the import joined it.
    assert any("确保了防洪堤" in paragraph for paragraph in lead.paragraphs)


def test_loading_the_demo_twice_creates_nothing_twice(settings):
    load(settings)
    before = counts()
    out = load(settings)
    assert counts() == before
    assert "already loaded" in out


def test_demo_prints_one_account_per_role_and_each_can_log_in(settings, client, rf):
    out = load(settings)
    User = get_user_model()
    for role in Role:
        user = User.objects.get(groups__name=role.value)
        assert user.username in out
        password = next(
            line.split()[1] for line in out.splitlines() if line.split()[:1] == [user.username]
        )
        # django-axes counts logins per address, so authentication needs the request.
        request = rf.post("/admin/login/")
        assert client.login(request=request, username=user.username, password=password)
        assert user.person.name
        client.logout()


def test_demo_refuses_to_create_known_passwords_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
