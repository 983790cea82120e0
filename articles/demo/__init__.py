"""The demo: one published edition of an invented city daily, 滨江日报.

The pages are our own writing in the layout of a real page (see
page1.txt and page2.txt) and go in through the same importer editors use;
everything after goes through the write path and the workflow, as the
people of the demo newsroom.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from articles import services, workflow
from articles.demo import pictures
from articles.demo.typeset import compose_stored_page
from articles.epaper import pages as epaper_pages
from articles.importer.load import import_page
from articles.models import Article, Assignment, Edition, Section, SiteSettings
from people.models import Person
from people.roles import Role

DEMO_DIR = Path(__file__).resolve().parent
DEMO_DATE = datetime.date(2026, 11, 27)
DEMO_NUMBER = 6125
PAGES = [(1, "要闻", "page1.txt"), (2, "综合", "page2.txt")]
PAGE_EDITOR = "苏文"

# username, password, role, person name, person kind, organization
ACCOUNTS = [
    ("reporter", "reporter-demo", Role.REPORTER, "林晓", Person.Kind.STAFF, ""),
    (
        "correspondent",
        "correspondent-demo",
        Role.CORRESPONDENT,
        "周敏",
        Person.Kind.CORRESPONDENT,
        "江南街道办事处",
    ),
    ("photographer", "photographer-demo", Role.PHOTOGRAPHER, "陈光", Person.Kind.STAFF, ""),
    ("editor", "editor-demo", Role.EDITOR, PAGE_EDITOR, Person.Kind.STAFF, ""),
    ("deskhead", "deskhead-demo", Role.DESK_HEAD, "何静", Person.Kind.STAFF, ""),
    ("chief", "chief-demo", Role.CHIEF_EDITOR, "高远", Person.Kind.STAFF, ""),
]
SUPERUSER = ("admin", "admin-demo")

# name, slug, review levels (三审 for the front page's news, two levels for the city desk).
SECTIONS = [
    ("要闻", "yaowen", 3),
    ("城市", "chengshi", 2),
    ("民生", "minsheng", 1),
    ("文化", "wenhua", 1),
    ("教育", "jiaoyu", 1),
    ("国内", "guonei", 1),
    ("图片", "tupian", 1),
]

# Headline (or the start of a caption) → section slug, tags.
ARTICLES = {
    "滨江首条过江隧道全线贯通": ("chengshi", ["过江隧道", "交通"]),
    "市民服务中心推出“周末不打烊”": ("minsheng", ["政务服务"]),
    "11月25日清晨": ("tupian", ["湿地", "生态"]),
    "社区食堂开进老小区": ("minsheng", ["养老", "社区食堂"]),
    "老街新生": ("wenhua", ["老街改造", "城市更新"]),
    "多地迎来今冬首场降雪": ("guonei", ["天气"]),
    "滨江图书馆新增24小时自助借还点": ("wenhua", ["图书馆"]),
    "11月24日": ("jiaoyu", ["劳动教育"]),
}

# Caption start → picture, alt text.
PICTURES = {
    "11月25日清晨": (pictures.wetland_egrets, "清晨的湿地上空，白鹭成群飞过芦苇荡"),
    "11月24日": (pictures.school_garden, "小学生在校园菜地里拔萝卜"),
}


def _lookup(table, article):
    text = article.headline or article.body
    return next((value for key, value in table.items() if text.startswith(key)), None)


def ensure_sections(chief):
    """The paper's sections, set up by the chief editor through the write path."""
    for position, (name, slug, levels) in enumerate(SECTIONS):
        section = Section.objects.filter(slug=slug).first() or Section(slug=slug)
        if (section.name, section.position, section.review_levels) != (name, position, levels):
            section.name, section.position, section.review_levels = name, position, levels
            services.save_section(section, user=chief)
    return {section.slug: section for section in Section.objects.all()}


def ensure_accounts():
    """Create one account per role, each linked to the person it writes as.

    Accounts are Django's (as createsuperuser makes them); the people they
    write as are the newsroom's records, linked by the superuser through the
    write path.
    """
    User = get_user_model()
    username, password = SUPERUSER
    admin = User.objects.filter(username=username).first()
    if admin is None:
        admin = User.objects.create_superuser(username, password=password)
    users = {}
    for username, password, role, name, kind, organization in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        person = Person.objects.filter(user=user).first() or (
            Person.objects.filter(name=name, user=None).order_by("pk").first()
        )
        if person is None:
            person = Person(name=name)
        if (person.user_id, person.kind, person.organization) != (user.pk, kind, organization):
            person.user, person.kind, person.organization = user, kind, organization
            services.save_person(person, user=admin)
        users[role] = user
    return users


def _finish_copy(edition, sections, editor):
    for article in Article.objects.filter(page__edition=edition).select_related("page"):
        section_slug, tags = _lookup(ARTICLES, article) or ("yaowen", [])
        article.section = sections[section_slug]
        article.summary = article.paragraphs[0][:120] if article.paragraphs else ""
        services.save_article(article, user=editor, tags=tags)
        picture = _lookup(PICTURES, article)
        use = article.article_photos.select_related("photo").first()
        if picture and use and not use.photo.image:
            draw, alt_text = picture
            photo = use.photo
            photo.alt_text = alt_text
            name = f"demo-{article.page.number}-{article.position}.jpg"
            # Stored (cleaned, renamed) as the write path saves the photo.
            photo.image = ContentFile(pictures.jpeg_bytes(draw()), name=name)
            services.save_photo(photo, user=editor)


def ensure_site_settings(chief):
    """The footer of an invented paper: numbers that are plainly not real ones."""
    if SiteSettings.objects.exists():
        return
    row = SiteSettings(
        icp_number="滨ICP备00000000号（演示）",
        police_number="滨公网安备00000000000000号（演示）",
        report_phone="0000-12345678",
        report_email="report@example.com",
        contact="滨江市江南大道1号 滨江日报社\n新闻热线 0000-87654321",
    )
    links = [services.Link("电子版", "/epaper/"), services.Link("站内搜索", "/search/")]
    services.save_site_settings(row, user=chief, links=links)


def _attach_page_pdfs(edition, users):
    """Draw each page as the layout program would export it, and attach it."""
    for page in edition.pages.select_related("edition", "editor"):
        data = compose_stored_page(page, settings.NEWSPAPER_NAME)
        epaper_pages.attach_pdf(page, data, user=users[Role.EDITOR])


def _publish(edition, users):
    """Take the demo copy through each level of review (each by its own person) and sign-off."""
    editor, chief = users[Role.EDITOR], users[Role.CHIEF_EDITOR]
    reviewers = [editor, users[Role.DESK_HEAD], chief]  # 初审, 复审, 终审
    for article in Article.objects.filter(page__edition=edition).select_related("section"):
        if article.status == Article.Status.DRAFT:
            article = workflow.transition(article, "submit", user=editor)
        while article.status == Article.Status.SUBMITTED:
            reviewer = reviewers[article.awaited_level - 1]
            article = workflow.transition(article, "approve", user=reviewer)
    workflow.sign_off(edition, user=chief)
    workflow.publish_edition(edition, user=chief)


PROPOSAL = ("滨江地铁二号线开通在即", "试运营首日的客流、票价和市民的感受；配现场图片。")


def ensure_proposal(users, sections):
    """A story the reporter proposed (报题), waiting for the desk on its 工作台."""
    topic, notes = PROPOSAL
    if Assignment.objects.filter(topic=topic).exists():
        return
    reporter = users[Role.REPORTER]
    services.save_assignment(
        Assignment(topic=topic, notes=notes, section=sections["chengshi"], target_chars=800),
        user=reporter,
        reporters=[reporter.person],
    )


def load_demo():
    """Load the demo edition and accounts; return whether the edition was new."""
    with transaction.atomic():
        users = ensure_accounts()
        sections = ensure_sections(users[Role.CHIEF_EDITOR])
        ensure_site_settings(users[Role.CHIEF_EDITOR])
        ensure_proposal(users, sections)
        edition = Edition.objects.filter(date=DEMO_DATE).first()
        if edition is not None and edition.status == Edition.Status.PUBLISHED:
            return False
        # The desk imports the pages the layout system printed.
        editor = users[Role.EDITOR]
        for number, name, filename in PAGES:
            text = (DEMO_DIR / filename).read_text(encoding="utf-8")
            page = import_page(text, date=DEMO_DATE, number=number, name=name, user=editor).page
            page.editor = Person.objects.get(user=editor)
            services.save_page(page, user=editor)
        edition = Edition.objects.get(date=DEMO_DATE)
        edition.number = DEMO_NUMBER
        services.save_edition(edition, user=editor)
        _finish_copy(edition, sections, editor)
        _attach_page_pdfs(edition, users)
        _publish(edition, users)
        return True
