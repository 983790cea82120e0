"""What readers see on the e-paper and article pages."""

import datetime
import json
import re

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from articles import search
from articles.models import Article, Byline, Correction, Edition
from tests.factories import EditionFactory, PageFactory, PersonFactory, SectionFactory, UserFactory

from .conftest import HOST, add_photo, ago, credit, publish, published_edition, withdraw

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(element):
    return " ".join(element.text_content().split())


def test_the_dateline_leads_the_first_paragraph_with_each_name_linked(paper, client):
    doc = html(client.get(paper["lead"].get_absolute_url()))
    first = doc.cssselect(".story-body p")[0]
    assert first.text_content().startswith(
        "本报讯(记者 司勇 通讯员 米雪)2月11日，全市信访工作会议召开。"
    )
    links = {a.text: a.get("href") for a in first.cssselect(".dateline a")}
    assert links == {
        "司勇": paper["siyong"].get_absolute_url(),
        "米雪": paper["mixue"].get_absolute_url(),
    }
    assert paper["siyong"].get_absolute_url() == "/people/%E5%8F%B8%E5%8B%87/"


def test_a_byline_without_a_source_stands_on_its_own_line(client):
    article = publish(headline="老街新生", source="", body="初冬时节。\n\n走进南门老街。")
    credit(article, PersonFactory(name="许诺"), PersonFactory(name="林晓"))
    doc = html(client.get(article.get_absolute_url()))
    paragraphs = [text(p) for p in doc.cssselect(".story-body p")]
    assert paragraphs == ["本报记者 许诺 林晓", "初冬时节。", "走进南门老街。"]


def test_kicker_headline_subheadline_tags_and_placement(paper, client):
    doc = html(client.get(paper["lead"].get_absolute_url()))
    assert text(doc.cssselect(".kicker")[0]) == "历时四年建设"
    assert text(doc.cssselect("h1")[0]) == "我市召开信访工作会议"
    assert text(doc.cssselect(".subheadline")[0]) == "韦韬张新伟作出批示"
    assert sorted(text(a) for a in doc.cssselect(".tags a")) == ["会议", "信访"]
    placement = doc.cssselect(".placement a")[0]
    assert text(placement) == "2022年2月14日 第6125期 第1版 要闻"
    assert placement.get("href") == "/editions/2022-02-14/1/"


def test_photos_print_their_caption_and_credit(paper, client):
    lead = paper["lead"]
    add_photo(lead, PersonFactory(name="宋卫东"), PersonFactory(name="李学军"), caption="本稿图说")
    add_photo(lead, PersonFactory(name="王硕"), position=1, caption="")
    doc = html(client.get(lead.get_absolute_url()))
    figures = doc.cssselect("figure.photo")
    assert [text(f.cssselect(".credit")[0]) for f in figures] == ["宋卫东 李学军 摄", "王硕 摄"]
    # A caption for this use wins over the photo's own.
    assert text(figures[0].cssselect(".caption")[0]) == "本稿图说"
    assert (
        text(figures[1].cssselect(".caption")[0]) == "2月12日，崭新的农村公路串联起大山深处的村庄。"
    )
    assert figures[0].cssselect("img")[0].get("alt") == "山间公路"


def test_photo_news_shows_the_picture_with_its_caption_and_credit(client):
    item = publish(kind=Article.Kind.PHOTO, headline="", source="", body="11月25日清晨，白鹭盘旋。")
    add_photo(item, PersonFactory(name="陈光"), PersonFactory(name="赵一鸣"))
    doc = html(client.get(item.get_absolute_url()))
    figure = doc.cssselect("figure.photo")[0]
    assert figure.cssselect("img")
    assert text(figure.cssselect("figcaption")[0]) == "11月25日清晨，白鹭盘旋。 陈光 赵一鸣 摄"
    # Titled by its caption's first clause past the time it was taken (issue 17).
    assert text(doc.cssselect("h1")[0]) == "白鹭盘旋"


def test_corrections_are_listed_with_their_dates(paper, client):
    lead = paper["lead"]
    when = datetime.datetime(2022, 2, 15, 9, 30, tzinfo=datetime.UTC)
    Correction.objects.create(article=lead, text="会议日期应为2月11日。", created_at=when)
    doc = html(client.get(lead.get_absolute_url()))
    item = doc.cssselect(".corrections li")[0]
    assert "会议日期应为2月11日。" in text(item)
    assert item.cssselect("time")[0].get("datetime") == "2022-02-15T17:30:00+08:00"
    assert doc.cssselect("a.corrected")[0].get("href") == "#corrections"


def test_related_articles_share_tags_and_the_closest_come_first(paper, client):
    both = publish(headline="信访会议两相关")
    both.tags.set(["信访", "会议"])
    one = publish(headline="只有信访", published_at=ago(minutes=1))
    one.tags.set(["信访"])
    publish(headline="毫无关系").tags.set(["天气"])
    doc = html(client.get(paper["lead"].get_absolute_url()))
    assert [text(a) for a in doc.cssselect(".related li a")] == ["信访会议两相关", "只有信访"]


def test_structured_data_open_graph_and_canonical(paper, client):
    lead = paper["lead"]
    add_photo(lead, PersonFactory(name="宋卫东"))
    response = client.get(lead.get_absolute_url())
    doc = html(response)
    canonical = f"http://{HOST}{lead.get_absolute_url()}"
    assert doc.cssselect('link[rel="canonical"]')[0].get("href") == canonical
    blocks = doc.cssselect('script[type="application/ld+json"]')
    assert len(blocks) == 1
    data = json.loads(blocks[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "我市召开信访工作会议"
    assert data["datePublished"] == lead.published_at.isoformat()
    assert data["dateModified"] >= data["datePublished"]
    assert [a["name"] for a in data["author"]] == ["司勇", "米雪"]
    assert data["author"][0]["url"] == f"http://{HOST}{paper['siyong'].get_absolute_url()}"
    assert data["image"][0].startswith(f"http://{HOST}/media/photos/")
    assert data["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "滨江日报",
        "url": f"http://{HOST}/",
    }
    og = {m.get("property"): m.get("content") for m in doc.cssselect("meta[property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == "我市召开信访工作会议"
    assert og["og:url"] == canonical
    assert og["og:image"] == data["image"][0]
    assert (
        og["article:published_time"]
        == lead.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat()
    )


def test_times_are_machine_readable_to_the_second(paper, client):
    """HTML's datetime attribute takes at most three digits of a second; Django's "c" gives six."""
    at = datetime.datetime(2022, 2, 14, 6, 30, 15, 123456, tzinfo=datetime.UTC)
    Article.objects.filter(pk=paper["lead"].pk).update(published_at=at)
    Correction.objects.create(article=paper["lead"], text="更正", created_at=at)
    related = publish(headline="信访窗口延时服务", published_at=at)
    related.tags.set(["信访"])
    search.index_articles(Article.objects.all())
    for url in [
        paper["lead"].get_absolute_url(),
        reverse("articles:home"),
        paper["edition"].get_absolute_url(),
        reverse("articles:search") + "?q=信访",
    ]:
        times = {t.get("datetime") for t in html(client.get(url)).cssselect("time[datetime]")}
        if url != paper["edition"].get_absolute_url():  # an edition's copy: its date alone
            assert "2022-02-14T14:30:15+08:00" in times, url
        # Times to the second; print copy is dated by its edition: a date.
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d\+08:00)?", t) for t in times)


def test_print_copy_is_dated_by_its_edition_web_copy_by_its_publication(paper, client):
    """Copy that ran in the paper carries the paper's date, not the time it went online."""
    lead = paper["lead"]
    day = paper["edition"].date
    Article.objects.filter(pk=lead.pk).update(
        published_at=datetime.datetime(2026, 12, 6, 2, 0, tzinfo=datetime.UTC)
    )
    for url in [lead.get_absolute_url(), reverse("articles:home")]:
        times = {t.get("datetime") for t in html(client.get(url)).cssselect("time[datetime]")}
        assert day.isoformat() in times, url
        assert "2026-12-06T10:00:00+08:00" not in times, url
    web = publish(
        headline="网络快讯", published_at=datetime.datetime(2026, 12, 6, 2, 0, tzinfo=datetime.UTC)
    )
    times = {t.get("datetime") for t in html(client.get(web.get_absolute_url())).cssselect("time")}
    assert "2026-12-06T10:00:00+08:00" in times


def test_a_withdrawn_article_answers_410_naming_what_was_withdrawn_but_not_its_text(
    paper, client, django_capture_on_commit_callbacks
):
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    response = client.get(paper["lead"].get_absolute_url())
    assert response.status_code == 410
    content = response.content.decode()
    assert "稿件已撤下" in content and "我市召开信访工作会议" in content
    assert "会议总结了去年的工作" not in content


def test_unknown_and_unpublished_articles_answer_404(client):
    draft = Article.objects.create(headline="草稿", body="草稿。")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/articles/987654/").status_code == 404


class TestPreview:
    def test_an_editor_previews_a_draft_marked_noindex(self, client, editor):
        draft = Article.objects.create(headline="待审稿件", body="正文。")
        client.force_login(editor)
        response = client.get(reverse("articles:preview", args=[draft.pk]))
        assert response.status_code == 200
        assert response["X-Robots-Tag"].startswith("noindex")
        doc = html(response)
        assert doc.cssselect('meta[name="robots"]')[0].get("content").startswith("noindex")
        assert "待审稿件" in text(doc.cssselect("h1")[0])
        assert "草稿" in text(doc.cssselect(".preview-banner")[0])

    def test_a_reporter_previews_their_own_copy_and_no_one_elses(self, client, reporter):
        own = Article.objects.create(headline="我的草稿", body="正文。", created_by=reporter)
        others = Article.objects.create(headline="别人的草稿", body="正文。")
        client.force_login(reporter)
        response = client.get(reverse("articles:preview", args=[own.pk]))
        assert response.status_code == 200
        assert "我的草稿" in text(html(response).cssselect("h1")[0])
        # Someone else's copy does not exist, as far as the reporter can tell.
        assert client.get(reverse("articles:preview", args=[others.pk])).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        draft = Article.objects.create(headline="待审稿件", body="正文。")
        response = client.get(reverse("articles:preview", args=[draft.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_the_admin_links_to_the_preview(self, admin_client):
        draft = Article.objects.create(headline="待审稿件", body="正文。")
        change = reverse("admin:articles_article_change", args=[draft.pk])
        doc = lxml.html.fromstring(admin_client.get(change).content.decode())
        link = doc.cssselect("a.viewsitelink")[0]
        assert link.get("href") == reverse("articles:preview", args=[draft.pk])

    def test_a_chief_editor_group_member_with_the_permission_may_preview(self, client):
        user = UserFactory(username="chief-x")
        user.user_permissions.add(Permission.objects.get(codename="preview_article"))
        client.force_login(user)
        spiked = Article.objects.create(headline="枪毙稿", status=Article.Status.SPIKED)
        assert client.get(reverse("articles:preview", args=[spiked.pk])).status_code == 200


def test_an_edition_lists_its_pages_and_each_pages_articles(paper, client):
    publish(headline="二版稿件", page=paper["page2"], position=1)
    paper["page1"].editor = PersonFactory(name="苏文")
    paper["page1"].save()
    doc = html(client.get(paper["edition"].get_absolute_url()))
    assert text(doc.cssselect("h1")[0]) == "2022年2月14日 第6125期"
    sections = doc.cssselect("section.edition-page")
    assert [text(s.cssselect("h2")[0]) for s in sections] == ["第1版 要闻", "第2版 综合"]
    assert "责任编辑 苏文" in text(sections[0])
    assert [text(a) for a in sections[0].cssselect(".teaser-title a")] == ["我市召开信访工作会议"]
    assert [text(a) for a in sections[1].cssselect(".teaser-title a")] == ["二版稿件"]


def test_a_page_shows_its_articles_in_order_with_previous_and_next_pages(paper, client):
    page2 = paper["page2"]
    publish(headline="第二条", page=page2, position=2)
    publish(headline="第一条", page=page2, position=1)
    third = PageFactory(edition=paper["edition"], number=3, name="文体")
    doc = html(client.get(page2.get_absolute_url()))
    assert [text(a) for a in doc.cssselect(".teaser-title a")] == ["第一条", "第二条"]
    assert (
        doc.cssselect('.prev-next a[rel="prev"]')[0].get("href")
        == paper["page1"].get_absolute_url()
    )
    assert doc.cssselect('.prev-next a[rel="next"]')[0].get("href") == third.get_absolute_url()
    first = html(client.get(paper["page1"].get_absolute_url()))
    assert not first.cssselect('.prev-next a[rel="prev"]')


def test_missing_pages_and_impossible_dates_answer_404(paper, client):
    assert client.get("/editions/2022-02-14/9/").status_code == 404
    assert client.get("/editions/2022-02-30/").status_code == 404
    assert client.get("/editions/2021-01/").status_code == 404
    assert client.get("/editions/2022-13/").status_code == 404


def test_the_archive_is_a_calendar_of_published_editions(paper, client):
    published_edition(date=datetime.date(2022, 2, 16), number=6126)
    EditionFactory(date=datetime.date(2022, 2, 17), status=Edition.Status.SIGNED_OFF)
    published_edition(date=datetime.date(2022, 1, 31), number=6110)
    doc = html(client.get(reverse("articles:edition-archive")))
    assert text(doc.cssselect("h1")[0]) == "2022年2月"
    linked = [a.get("href") for a in doc.cssselect(".calendar a")]
    assert linked == ["/editions/2022-02-14/", "/editions/2022-02-16/"]
    assert doc.cssselect('.month-nav a[rel="prev"]')[0].get("href") == "/editions/2022-01/"
    january = html(client.get("/editions/2022-01/"))
    assert [a.get("href") for a in january.cssselect(".calendar a")] == ["/editions/2022-01-31/"]


def test_home_shows_the_latest_front_page_with_photos_and_the_latest_news(paper, client):
    older = published_edition(date=datetime.date(2022, 2, 13))
    publish(headline="前一天的头条", page=PageFactory(edition=older, number=1))
    add_photo(paper["lead"], PersonFactory(name="宋卫东"))
    web = publish(headline="网络快讯", published_at=ago(minutes=5))
    doc = html(client.get(reverse("articles:home")))
    assert "2022年2月14日 第6125期" in text(doc.cssselect(".today h2")[0])
    front = doc.cssselect(".front .teaser")
    assert [text(t.cssselect(".teaser-title")[0]) for t in front] == ["我市召开信访工作会议"]
    assert front[0].cssselect("img")
    latest = [a.get("href") for a in doc.cssselect(".latest a")]
    assert latest[0] == web.get_absolute_url()
    assert paper["lead"].get_absolute_url() not in latest
    assert [text(a) for a in doc.cssselect(".section-nav a")] == ["城市"]


def test_lists_are_paginated_newest_first(paper, client):
    for i in range(21):
        publish(headline=f"城市新闻{i:02}", section=paper["section"], published_at=ago(minutes=i))
    url = paper["section"].get_absolute_url()
    first = html(client.get(url))
    titles = [text(a) for a in first.cssselect(".teaser-title a")]
    assert len(titles) == 20 and titles[0] == "城市新闻00"
    second = html(client.get(url + "?page=2"))
    assert [text(a) for a in second.cssselect(".teaser-title a")] == [
        "城市新闻20",
        "我市召开信访工作会议",
    ]
    assert client.get(url + "?page=3").status_code == 404


def test_sections_and_tags_with_no_published_copy_answer_404(paper, client):
    SectionFactory(name="空栏目", slug="empty")
    Article.objects.create(headline="草稿", section=paper["section"]).tags.set(["未用标签"])
    assert client.get("/sections/empty/").status_code == 404
    assert client.get(reverse("articles:tag", args=["未用标签"])).status_code == 404
    assert client.get(reverse("articles:tag", args=["信访"])).status_code == 200


def test_a_person_page_shows_published_work_and_roles_but_no_account_details(paper, client):
    siyong = paper["siyong"]
    siyong.user = UserFactory(username="siyong-login", email="siyong@example.com")
    siyong.organization = "市委宣传部"
    siyong.save()
    photo_item = publish(kind=Article.Kind.PHOTO, headline="", body="图片说明。")
    add_photo(photo_item, siyong)
    draft = Article.objects.create(headline="未发草稿")
    credit(draft, siyong, role=Byline.Role.EDITOR)
    content = client.get(siyong.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(content)
    assert text(doc.cssselect(".person-head .eyebrow")[0]) == "记者 · 摄影"
    assert "已发表2篇" in content and "市委宣传部" in content
    assert "siyong-login" not in content and "siyong@example.com" not in content
    assert "未发草稿" not in content
    hrefs = {a.get("href") for a in doc.cssselect(".teaser-title a")}
    assert hrefs == {paper["lead"].get_absolute_url(), photo_item.get_absolute_url()}


def test_the_site_speaks_chinese_and_loads_its_stylesheet(paper, client):
    response = client.get(reverse("articles:home"))
    doc = html(response)
    assert doc.get("lang") == "zh-hans"
    stylesheet = doc.cssselect('link[rel="stylesheet"]')[0].get("href")
    assert stylesheet == "/static/css/site.css"
    assert doc.cssselect('meta[name="viewport"]')


def test_the_home_page_has_no_empty_latest_news_box(client):
    edition = published_edition()
    page = PageFactory(edition=edition, number=1, name="要闻")
    publish(headline="唯一的头条", page=page, position=1)
    content = client.get(reverse("articles:home")).content.decode()
    assert "唯一的头条" in content
    assert 'id="latest-title"' not in content


def test_an_article_page_loads_its_script_where_static_files_are_served(paper, client, settings):
    url = paper["lead"].get_absolute_url()
    scripts = html(client.get(url)).cssselect("script[src]")
    assert [script.get("src") for script in scripts] == ["/static/js/reader.js"]
    settings.STATIC_URL = "https://static.example.com/"  # the URL is worked out once per process
    cache.clear()
    scripts = html(client.get(url)).cssselect("script[src]")
    assert [script.get("src") for script in scripts] == ["https://static.example.com/js/reader.js"]


def test_an_article_served_under_a_script_prefix_names_its_address_with_it(paper, client, settings):
    """Which article a URL names is remembered with its address, one per script prefix."""
    from django.urls import clear_script_prefix, set_script_prefix

    settings.PUBLIC_PAGE_CACHE = False
    lead = paper["lead"]
    canonicals = []
    for prefix in ("/", "/paper/", "/"):
        set_script_prefix(prefix)  # as the WSGI handler does (the test client does not)
        try:
            doc = html(client.get(f"/articles/{lead.pk}/"))
        finally:
            clear_script_prefix()
        canonicals.append(doc.cssselect('link[rel="canonical"]')[0].get("href"))
    assert canonicals == [
        f"http://{HOST}/articles/{lead.pk}/",
        f"http://{HOST}/paper/articles/{lead.pk}/",
        f"http://{HOST}/articles/{lead.pk}/",
    ]


@pytest.mark.parametrize(
    "headers, language",
    [
        ({}, "zh-hans"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": "django_language=zh-hans"}, "zh-hans"),
    ],
)
def test_a_page_answers_in_the_readers_language_and_says_which(
    paper, client, settings, headers, language
):
    settings.PUBLIC_PAGE_CACHE = False  # every answer rendered by the whole stack
    response = client.get(paper["lead"].get_absolute_url(), **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert response["Vary"] == "Accept-Language"
    assert html(response).get("lang") == language


def test_a_path_that_starts_like_a_language_is_no_language(paper, client):
    """No URL carries a language: /en/… is not found, and not sent on to the page without it."""
    url = paper["lead"].get_absolute_url()
    response = client.get(f"/en{url}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
