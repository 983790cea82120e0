"""Nobody signed in: the permission questions answer "nothing", never an error.

The admin asks them of signed-in staff; a question about an anonymous user
(a public view, a command, a typed caller) gets the empty answer.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from articles import permissions
from articles.models import Article, Assignment
from media.models import Photo
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_nobody_signed_in_sees_no_copy_and_may_illustrate_none():
    article = ArticleFactory(status=Article.Status.SUBMITTED)
    nobody = AnonymousUser()
    assert list(permissions.visible_articles(nobody, Article.objects.all())) == []
    assert list(permissions.illustratable_articles(nobody, Article.objects.all())) == []
    assert not permissions.can_view_article(nobody, article)
    assert permissions.why_not_edit_article(nobody, article) is not None


def test_nobody_signed_in_owns_no_photo_and_sees_no_assignment():
    photo = PhotoFactory(created_by=None)
    nobody = AnonymousUser()
    assert list(permissions.changeable_photos(nobody, Photo.objects.all())) == []
    assert permissions.why_not_change_photo(nobody, photo) is not None
    assert list(permissions.visible_assignments(nobody, Assignment.objects.all())) == []
