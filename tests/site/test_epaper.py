"""The reader's e-paper: the printed page with its articles as links, and the ways around it."""

import datetime
import io
import re

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.models import ArticleZone, Edition, SiteSettings, TransitionLog
from tests.factories import EditionFactory, PageFactory, PersonFactory

from .conftest import add_photo, ago, credit, publish, published_edition, withdraw

pytestmark = pytest.mark.django_db


def webp(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "WEBP")
    return buffer.getvalue()


def give_facsimile(page):
    """Store a page PDF and its pictures the way attach_pdf leaves them."""
    page.pdf.save("page.pdf", ContentFile(b"%PDF-1.7 test page"), save=False)
    folder = page.pdf.name.rsplit("/", 1)[0]
    renditions = []
    for kind, width in [("page", 800), ("page", 1600), ("thumbnail", 240)]:
        name = f"{kind}-{width}-abc.webp"
        default_storage.save(f"{folder}/{name}", ContentFile(webp(width, round(width * 1.414))))
        renditions.append(
            {
                "kind": kind,
                "name": name,
                "width": width,
                "height": round(width * 1.414),
                "content_type": "image/webp",
            }
        )
    page.facsimile = {"width": 842.0, "height": 1191.0, "renditions": renditions}
    page.save()
    return page


def zone(page, article, top=0.1):
    return ArticleZone.objects.create(
        page=page, article=article, left=0.05, top=top, width=0.4, height=0.2, score=1
    )


@pytest.fixture
def facsimile(paper):
    page = give_facsimile(paper["page1"])
    second = publish(headline="第二篇稿件", page=page, position=2)
    third = publish(headline="第三篇稿件", page=page, position=3)
    for n, article in enumerate([paper["lead"], second, third]):
        zone(page, article, top=0.1 + 0.25 * n)
    return {**paper, "page": page, "second": second, "third": third}


def html(response):
    return lxml.html.fromstring(response.content.decode())


def test_the_page_shows_the_facsimile_with_each_article_as_a_named_link(facsimile, client):
    page = facsimile["page"]
    doc = html(client.get(page.get_absolute_url()))
    img = doc.cssselect("img.facsimile-img")[0]
    assert "page-800-abc.webp" in img.get("src") and "1600w" in img.get("srcset")
    links = doc.cssselect("svg.zones a.zone")
    titles = [link.get("aria-label") for link in links]
    assert titles == ["我市召开信访工作会议", "第二篇稿件", "第三篇稿件"]
    assert links[0].get("href") == facsimile["lead"].get_absolute_url()
    assert links[0].get("id") == f"zone-{facsimile['lead'].pk}"
    # The same articles as a list beside it, for screen readers and phones.
    listed = [a.text_content() for a in doc.cssselect(".page-contents li a")]
    assert listed == titles
    # The PDF to download and the largest picture to zoom into.
    assert doc.cssselect(f'a[download][href="{page.pdf_url}"]')
    assert not doc.cssselect("[style]")  # the CSP allows no inline style


def test_zones_of_unpublished_or_withdrawn_copy_are_not_shown(
    facsimile, client, django_capture_on_commit_callbacks
):
    page = facsimile["page"]
    draft = publish(headline="尚未发布LEAK", page=page, position=4, published_at=ago(hours=-2))
    zone(page, draft, top=0.8)
    withdraw(facsimile["third"], django_capture_on_commit_callbacks)
    content = client.get(page.get_absolute_url()).content.decode()
    assert "LEAK" not in content and draft.get_absolute_url() not in content
    assert facsimile["third"].get_absolute_url() not in content
    assert facsimile["second"].get_absolute_url() in content


def test_a_page_without_a_pdf_keeps_the_article_list(paper, client):
    doc = html(client.get(paper["page1"].get_absolute_url()))
    assert not doc.cssselect(".facsimile")
    assert doc.cssselect(".page-stories .teaser-title a")[0].text == "我市召开信访工作会议"


def test_page_files_are_served_only_once_the_edition_is_published(facsimile, client):
    page = facsimile["page"]
    response = client.get(page.pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="20220214-01.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test page"
    picture = client.get(page.renditions[0]["url"])
    assert picture.status_code == 200 and picture["Content-Type"] == "image/webp"
    assert client.get(page.facsimile_url("page.pdf")).status_code == 404  # only named files
    edition = facsimile["edition"]
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SIGNED_OFF)
    assert client.get(page.pdf_url).status_code == 404
    assert client.get(page.renditions[0]["url"]).status_code == 404


def test_stored_names_cannot_be_guessed(facsimile):
    first = facsimile["page"].pdf.name
    other = give_facsimile(PageFactory(edition=facsimile["edition"], number=3)).pdf.name
    assert re.fullmatch(r"epaper/[A-Za-z0-9_-]{24}/page\.pdf", first)
    assert first.split("/")[1] != other.split("/")[1]


def test_epaper_opens_the_latest_published_editions_front_page(paper, client):
    newer = published_edition(datetime.date(2022, 2, 15))
    PageFactory(edition=newer, number=1)
    EditionFactory(date=datetime.date(2022, 2, 16), status=Edition.Status.SIGNED_OFF)
    response = client.get(reverse("articles:epaper"))
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edition-page", args=[newer.date, 1])


def test_the_date_picker_goes_to_that_day_or_the_nearest_edition_before(paper, client):
    url = reverse("articles:edition-for-date")
    front = paper["page1"].get_absolute_url()
    assert client.get(url, {"date": "2022-02-14"})["Location"] == front
    assert client.get(url, {"date": "2022-03-01"})["Location"] == front  # later: the one before
    assert client.get(url, {"date": "2021-01-01"})["Location"] == front  # earlier: the first
    bad = client.get(url, {"date": "2022-02-31"})
    assert bad.status_code == 400
    assert "2022-02-31" in bad.content.decode()


def test_pages_link_the_previous_and_next_edition_and_page(paper, client):
    older = published_edition(datetime.date(2022, 2, 10))
    newer = published_edition(datetime.date(2022, 2, 20))
    EditionFactory(date=datetime.date(2022, 2, 12), status=Edition.Status.PLANNING)
    doc = html(client.get(paper["page1"].get_absolute_url()))
    prev = doc.cssselect(".edition-nav a[rel=prev]")[0].get("href")
    following = doc.cssselect(".edition-nav a[rel=next]")[0].get("href")
    assert prev.endswith(f"?date={older.date}") and following.endswith(f"?date={newer.date}")
    picker = doc.cssselect("#edition-date")[0]
    assert (picker.get("min"), picker.get("max")) == ("2022-02-10", "2022-02-20")
    assert (
        doc.cssselect(".prev-next a[rel=next]")[0].get("href") == paper["page2"].get_absolute_url()
    )
    thumbs = doc.cssselect(".page-thumbs a")
    assert [a.get("aria-current") for a in thumbs] == ["page", None]


def test_an_article_links_its_neighbours_on_the_page_and_back_to_its_zone(facsimile, client):
    second = facsimile["second"]
    doc = html(client.get(second.get_absolute_url()))
    nav = doc.cssselect(".story-nav")[0]
    assert nav.cssselect("a[rel=prev]")[0].get("href") == facsimile["lead"].get_absolute_url()
    assert nav.cssselect("a[rel=next]")[0].get("href") == facsimile["third"].get_absolute_url()
    back = nav.cssselect(".story-nav__page")[0].get("href")
    assert back == f"{facsimile['page'].get_absolute_url()}#zone-{second.pk}"
    # Section bar, QR code of the canonical address, reading tools as static files.
    assert doc.cssselect("nav.section-nav")
    assert doc.cssselect(".qr svg path")
    assert doc.cssselect('script[src="/static/js/reader.js"]')
    assert not doc.cssselect("[style]")


def test_an_article_on_an_unpublished_editions_page_names_no_neighbours(client):
    planning = EditionFactory(date=datetime.date(2022, 3, 1), status=Edition.Status.PLANNING)
    page = PageFactory(edition=planning, number=1)
    first = publish(headline="网络首发", page=page, position=1)
    publish(headline="同版另一篇", page=page, position=2)
    content = client.get(first.get_absolute_url()).content.decode()
    assert "同版另一篇" not in content and "story-nav" not in content


def test_photo_news_is_titled_by_its_web_headline_or_its_captions_first_clause(paper, client):
    caption = "11月24日，滨江实验小学的学生在校园农场收获萝卜。学校把闲置空地开辟为劳动教育基地。"
    photo_news = publish(kind="photo", headline="", body=caption, page=paper["page2"])
    add_photo(photo_news, PersonFactory(name="周敏"))
    doc = html(client.get(photo_news.get_absolute_url()))
    assert doc.cssselect("h1")[0].text_content() == "滨江实验小学的学生在校园农场收获萝卜"
    home = client.get(reverse("articles:home")).content.decode()
    assert "滨江实验小学的学生在校园农场收获萝卜</a>" in home
    assert "学校把闲" not in home.split("滨江实验小学的学生在校园农场收获萝卜</a>")[1][:20]
    photo_news.web_headline = "校园农场萝卜丰收"
    photo_news.save()
    feed = client.get(reverse("articles:feed-rss")).content.decode()
    assert "<title>校园农场萝卜丰收</title>" in feed


def test_the_gone_page_names_the_headline_the_date_it_ran_and_why(
    paper, client, django_capture_on_commit_callbacks
):
    lead = paper["lead"]
    withdraw(lead, django_capture_on_commit_callbacks)
    response = client.get(lead.get_absolute_url())
    assert response.status_code == 410
    content = response.content.decode()
    assert "我市召开信访工作会议" in content
    assert f"{lead.published_at.year}年" in content
    assert TransitionLog.objects.get(article=lead, action="withdraw").note in content


def test_the_footer_prints_the_site_settings_and_a_change_refreshes_cached_pages(
    paper, client, django_capture_on_commit_callbacks
):
    from articles.services import save_site_settings
    from tests.factories import UserFactory

    url = reverse("articles:home")
    assert "京ICP备" not in client.get(url).content.decode()
    row = SiteSettings(icp_number="京ICP备12345678号", report_phone="0571-12345678")
    chief = UserFactory(username="site-chief", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        save_site_settings(row, user=chief)
    footer = html(client.get(url)).cssselect(".site-footer")[0]
    assert "京ICP备12345678号" in footer.text_content()
    assert footer.cssselect('a[href="tel:0571-12345678"]') or footer.cssselect(
        'a[href="tel:057112345678"]'
    )


def test_only_the_chief_editor_changes_the_site_settings(people):
    from articles.services import Refused, save_site_settings

    with pytest.raises(Refused):
        save_site_settings(SiteSettings(name="别的报"), user=people["editor"])
    assert not SiteSettings.objects.exists()
    save_site_settings(SiteSettings(name="滨江晚报"), user=people["chief"])
    assert SiteSettings.objects.get().name == "滨江晚报"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
        "ftp://x/",
    ],
)
def test_a_footer_link_opens_only_a_path_a_web_page_or_mail(people, client, url):
    from articles.services import Link, Refused, save_site_settings

    row = SiteSettings(name="滨江日报")
    with pytest.raises(Refused):
        save_site_settings(row, user=people["chief"], links=[Link("关于我们", url)])
    assert not SiteSettings.objects.exists()  # nothing of the refused save is kept
    # In the admin the form keeps what was typed and says why.
    admin = client
    admin.force_login(people["chief"])
    answer = admin.post(
        reverse("admin:articles_sitesettings_add"),
        {
            "name": "滨江日报",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-label": "关于我们",
            "links-0-url": url,
            "links-0-position": "0",
        },
    )
    assert answer.status_code == 200
    assert "页脚链接只能是本站路径" in answer.content.decode()
    assert not SiteSettings.objects.exists()


def test_footer_links_to_paths_web_pages_and_mail_are_kept(people):
    from articles.services import Link, save_site_settings

    links = [
        Link("关于", "/about/"),
        Link("新华网", "https://www.news.cn/"),
        Link("信箱", "mailto:a@b.cn"),
    ]
    row = save_site_settings(SiteSettings(name="滨江日报"), user=people["chief"], links=links)
    assert [(link.label, link.url) for link in row.links.all()] == list(links)


def test_search_suggestions_name_only_published_people_and_tags(paper, client):
    hidden = publish(headline="草稿", status="draft", published_at=None)
    credit(hidden, PersonFactory(name="司马秘"))
    hidden.tags.add("司法秘闻")
    people = client.get(reverse("articles:suggest-people"), {"q": "司"}).json()["results"]
    tags = client.get(reverse("articles:suggest-tags"), {"q": "信"}).json()["results"]
    assert [p["label"] for p in people] == ["司勇"]
    assert [t["label"] for t in tags] == ["信访"]
    assert client.get(reverse("articles:suggest-tags"), {"q": "司法"}).json()["results"] == []


def test_the_facsimile_page_costs_the_same_with_1_or_30_articles(facsimile, client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = facsimile["page"]

    def cold():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.get_absolute_url()).status_code == 200
        return len(queries)

    add_photo(facsimile["second"], PersonFactory())  # so photos and credits are read both times
    few = cold()
    for n in range(27):
        article = publish(headline=f"又一篇{n}", page=page, position=10 + n)
        credit(article, PersonFactory())
        add_photo(article, PersonFactory())
        zone(page, article, top=0.01 * n)
    assert cold() == few <= 13


def test_withdrawing_an_article_refreshes_the_cached_facsimile_page(
    facsimile, client, django_capture_on_commit_callbacks
):
    page, third = facsimile["page"], facsimile["third"]
    assert third.get_absolute_url() in client.get(page.get_absolute_url()).content.decode()
    withdraw(third, django_capture_on_commit_callbacks)
    assert third.get_absolute_url() not in client.get(page.get_absolute_url()).content.decode()
