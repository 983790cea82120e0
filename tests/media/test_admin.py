import lxml.html
import pytest
from django.urls import reverse

from media.models import Photo
from people.models import Person
from tests.factories import PersonFactory, PhotoCreditFactory, PhotoFactory

from .pictures import picture_bytes, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_photo_add")
CHANGELIST = reverse("admin:media_photo_changelist")
UPLOAD = reverse("admin:media_photo_upload")


def photo_form(image, **fields):
    return {
        "image": image,
        "caption": "2月12日，崭新的农村公路串联起大山深处的村庄。",
        "alt_text": "山间公路",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_refused_upload_says_why_in_chinese_and_keeps_what_was_typed(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>'
    response = admin_client.post(ADD, photo_form(upload(svg, "road.jpg")))
    assert response.status_code == 200
    content = response.content.decode()
    assert "这个文件是 SVG 或 HTML，不是照片" in content
    assert "2月12日，崭新的农村公路串联起大山深处的村庄。" in content
    assert 'value="山间公路"' in content
    assert not Photo.objects.exists()


def test_an_accepted_upload_is_credited_and_recorded_as_the_uploaders(admin_client, superuser):
    person = PersonFactory(name="宋卫东")
    data = photo_form(
        upload(picture_bytes("JPEG", size=(800, 600))),
        **{
            "credits-TOTAL_FORMS": "1",
            "credits-0-person": str(person.pk),
            "credits-0-position": "0",
        },
    )
    assert admin_client.post(ADD, data).status_code == 302
    photo = Photo.objects.get()
    assert photo.credit_line == "宋卫东 摄"
    assert photo.created_by == superuser
    assert (photo.width, photo.height) == (800, 600)


def test_photo_list_shows_small_thumbnails_and_what_each_photo_lacks(admin_client):
    photo = PhotoFactory(image__width=800, image__height=600, caption="")
    Photo.objects.create(caption="阳曲县农村公路")
    content = admin_client.get(CHANGELIST).content.decode()
    thumbnail = next(r for r in photo.renditions() if r.format == "jpeg" and r.width == 320)
    assert f'<img src="{thumbnail.url}"' in content
    assert photo.image.url not in content  # never the full picture in a list
    assert "等待图片" in content
    assert "缺图说、缺摄影署名" in content


def test_change_page_shows_a_preview_and_the_credit(admin_client):
    photo = PhotoFactory(image__width=800, image__height=600)
    PhotoCreditFactory(photo=photo, person__name="李学军")
    content = admin_client.get(reverse("admin:media_photo_change", args=[photo.pk])).content
    content = content.decode()
    preview = next(r for r in photo.renditions() if r.format == "jpeg" and r.width == 640)
    assert f'<img src="{preview.url}"' in content
    assert "李学军 摄" in content


def test_photos_are_found_by_caption_and_by_photographer(admin_client):
    PhotoFactory(caption="阳曲县农村公路")
    credited = PhotoFactory(caption="湿地白鹭")
    PhotoCreditFactory(photo=credited, person__name="宋卫东")
    PhotoFactory(caption="校园菜园")

    def found(term):
        response = admin_client.get(CHANGELIST, {"q": term})
        return sorted(photo.caption for photo in response.context["cl"].result_list)

    assert found("农村公路") == ["阳曲县农村公路"]
    assert found("宋卫东") == ["湿地白鹭"]


def test_needs_attention_filter_lists_photos_with_something_missing(admin_client):
    complete = PhotoFactory(caption="完整")
    PhotoCreditFactory(photo=complete)
    PhotoFactory(caption="缺署名")
    Photo.objects.create(caption="等图片")

    def listed(needs):
        response = admin_client.get(CHANGELIST, {"needs": needs})
        return sorted(photo.caption for photo in response.context["cl"].result_list)

    assert listed("any") == sorted(["缺署名", "等图片"])
    assert listed("image") == ["等图片"]
    assert listed("credit") == sorted(["缺署名", "等图片"])


def test_several_pictures_upload_at_once_credited_in_the_order_chosen(admin_client):
    li, song = PersonFactory(name="李学军"), PersonFactory(name="宋卫东")
    response = admin_client.post(
        UPLOAD,
        {
            "images": [
                upload(picture_bytes("JPEG"), "a.jpg"),
                upload(picture_bytes("PNG"), "b.png"),
            ],
            "photographers": [str(song.pk), str(li.pk)],
        },
    )
    assert response.status_code == 302
    photos = list(Photo.objects.order_by("pk"))
    assert len(photos) == 2
    assert [photo.credit_line for photo in photos] == ["宋卫东 李学军 摄"] * 2
    ids = ",".join(str(photo.pk) for photo in photos)
    assert response.url == f"{reverse('admin:media_photo_describe')}?ids={ids.replace(',', '%2C')}"
    describe = admin_client.get(response.url)
    assert describe.status_code == 200
    # The chosen order, not alphabetical, is what the editor sees again.
    content = describe.content.decode()
    assert content.index(">宋卫东<") < content.index(">李学军<")


def test_one_bad_file_among_several_uploads_nothing_and_is_named(admin_client):
    response = admin_client.post(
        UPLOAD,
        {
            "images": [
                upload(picture_bytes("JPEG"), "good.jpg"),
                upload(picture_bytes("PNG") + b"<html></html>", "bad.jpg"),
            ],
        },
    )
    assert response.status_code == 200
    assert "bad.jpg" in response.content.decode()
    assert "good.jpg" not in response.content.decode()
    assert not Photo.objects.exists()


def test_each_uploaded_photo_gets_its_own_caption_alt_text_and_credit(admin_client):
    first, second = PhotoFactory(caption="", alt_text=""), PhotoFactory(caption="", alt_text="")
    song, li = PersonFactory(name="宋卫东"), PersonFactory(name="李学军")
    PhotoCreditFactory(photo=second, person=song, position=0)
    PhotoCreditFactory(photo=second, person=li, position=1)
    url = f"{reverse('admin:media_photo_describe')}?ids={first.pk},{second.pk}"
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-caption": "湿地白鹭",
        "form-0-alt_text": "白鹭飞过湿地",
        "form-0-photographers": [str(song.pk)],
        "form-1-id": str(second.pk),
        "form-1-caption": "校园菜园",
        "form-1-alt_text": "学生拔萝卜",
        "form-1-photographers": [str(li.pk), str(song.pk)],  # the same two, turned round
    }
    assert admin_client.post(url, data).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.caption, first.alt_text, first.credit_line) == (
        "湿地白鹭",
        "白鹭飞过湿地",
        "宋卫东 摄",
    )
    assert (second.caption, second.credit_line) == ("校园菜园", "李学军 宋卫东 摄")
    assert Person.objects.count() == 2


def test_every_field_on_the_describe_page_has_a_label_of_its_own(admin_client):
    photos = [PhotoFactory(), PhotoFactory()]
    url = f"{reverse('admin:media_photo_describe')}?ids={photos[0].pk},{photos[1].pk}"
    doc = lxml.html.fromstring(admin_client.get(url).content.decode())
    labels = {label.get("for"): label.text_content() for label in doc.cssselect("label")}
    fields = doc.cssselect("#photo-describe-form textarea, #photo-describe-form input[type=text]")
    fields += doc.cssselect("#photo-describe-form select")
    assert len(fields) == 6
    assert {labels.get(field.get("id")) for field in fields} == {"图片说明", "替代文字", "摄影"}


def test_the_desk_needs_permission_to_add_photos(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-123456789", is_staff=True)
    client.force_login(clerk)
    assert client.get(UPLOAD).status_code == 403


@pytest.mark.parametrize(
    "name", ["IMG_1234", "photo.jpg_large", "IMG_1234.heic", "photo.html", "photo.svg"]
)
def test_a_photographer_uploads_a_real_jpeg_whatever_it_is_called(client, people, name):
    """The bytes say what a picture is; the name a camera or a browser gave it does not."""
    client.force_login(people["photographer"])
    response = client.post(UPLOAD, {"images": [upload(picture_bytes("JPEG"), name)]})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.image.name.endswith(".jpg")
    assert photo.created_by == people["photographer"]


def test_a_file_refused_among_an_upload_is_named_with_why(client, people):
    client.force_login(people["photographer"])
    response = client.post(UPLOAD, {"images": [upload(b"<svg onload=alert(1)></svg>", "x.svg")]})
    assert response.status_code == 200
    assert "x.svg：这个文件是 SVG 或 HTML，不是照片" in response.content.decode()
    assert not Photo.objects.exists()
