"""A newspaper's worth of synthetic data for the benchmark and the load test.

Years of daily editions, each with named pages and an editor per page, and
on them published copy with bylines, tags and photos, written from jieba's
dictionary (tests.perf.synthetic) and drawn with Pillow: nothing is downloaded.
Rows go in with bulk_create, a thousand articles per transaction, and the
search documents are built as the editors' saves would build them: about
40 articles a second. On PostgreSQL the benchmark writes the same shapes
with COPY instead (tests.perf.copyload, which draws with this Builder).

The data set is recognised by its chief editor's account (SENTINEL); it is
only ever built into a database with no editions of its own, never beside
real copy.
"""

import datetime
import io
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter
from taggit.models import Tag

from articles import search
from articles.copy.bodytext import count_chars
from articles.models import (
    Approval,
    Article,
    ArticlePhoto,
    Byline,
    Edition,
    Page,
    Section,
    Submission,
    TaggedArticle,
)
from media.models import Photo, PhotoCredit
from media.renditions import render_stored
from people.models import Person
from people.roles import Role

from .synthetic import Writer

SENTINEL = "bench-chief"
EDITOR = "bench-editor"
PAGES = [
    ("要闻", "yaowen"),
    ("综合", "zonghe"),
    ("经济", "jingji"),
    ("社会", "shehui"),
    ("教育", "jiaoyu"),
    ("文化", "wenhua"),
    ("体育", "tiyu"),
    ("评论", "pinglun"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红晓文斌宇浩凯健俊帆帅旭宁琳雪荣新林波斌飞鑫毅思远瑶欣怡佳雯倩婷晨阳楠博昊轩"
ORGANIZATIONS = [
    "市教育局",
    "市卫生健康委",
    "市公安局",
    "江南街道办事处",
    "市第一中学",
    "市邮政管理局",
    "市交通运输局",
    "市文化和旅游局",
    "市农业农村局",
    "高新区管委会",
]
KINDS = [  # (kind, share)
    (Article.Kind.NEWS, 0.70),
    (Article.Kind.FEATURE, 0.09),
    (Article.Kind.COMMENTARY, 0.06),
    (Article.Kind.BRIEF, 0.10),
    (Article.Kind.PHOTO, 0.05),
]
PHOTO_SHARE = 0.3  # stories with a picture, besides photo news
PICTURES = 12  # distinct pictures drawn; photo rows share their files and renditions
BATCH = 1000


@dataclass
class Summary:
    editions: int
    articles: int
    published: int
    photos: int
    bylines: int
    tags: int
    built: bool


def sentinel_exists():
    return get_user_model().objects.filter(username=SENTINEL).exists()


def summary(built=False):
    return Summary(
        editions=Edition.objects.count(),
        articles=Article.objects.count(),
        published=Article.objects.published().count(),
        photos=Photo.objects.count(),
        bylines=Byline.objects.count(),
        tags=Tag.objects.count(),
        built=built,
    )


def draw_picture(seed, size=(1200, 800)):
    """Return JPEG bytes of a made-up photograph: sky, ground and some shapes."""
    rng = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = tuple(rng.randint(90, 200) for _ in range(3))
    bottom = tuple(rng.randint(150, 250) for _ in range(3))
    horizon = rng.randint(size[1] // 3, size[1] * 2 // 3)
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (size[0], y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    draw.rectangle([0, horizon, size[0], size[1]], fill=tuple(rng.randint(40, 140) for _ in "rgb"))
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(horizon - 200, size[1])
        w, h = rng.randint(20, 220), rng.randint(20, 260)
        colour = tuple(rng.randint(0, 255) for _ in "rgb")
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x, y - h, x + w, y], fill=colour)
    out = io.BytesIO()
    image.filter(ImageFilter.SMOOTH).save(out, "JPEG", quality=85)
    return out.getvalue()


class Builder:
    """Build the data set: call build()."""

    def __init__(self, articles, *, days=3 * 365, pictures=PICTURES, seed=2022, progress=None):
        self.total = articles
        self.days = days
        self.picture_count = pictures
        self.random = random.Random(seed)
        self.writer = Writer(seed)
        self.progress = progress or (lambda done, total: None)

    # --- the cast -------------------------------------------------------------

    def name(self):
        given = "".join(self.random.choice(GIVEN) for _ in range(self.random.choice([1, 2, 2])))
        return self.random.choice(SURNAMES) + given

    def make_people(self):
        kinds = (
            [("staff", "")] * 220
            + [("correspondent", org) for org in ORGANIZATIONS for _ in range(30)]
            + [("freelance", "")] * 40
        )
        seen, people = {}, []
        for kind, organization in kinds:
            name = self.name()
            seen[name] = seen.get(name, 0) + 1
            slug = name if seen[name] == 1 else f"{name}-{seen[name]}"
            people.append(Person(name=name, slug=slug, kind=kind, organization=organization))
        people = Person.objects.bulk_create(people)
        self.staff = [p for p in people if p.kind == "staff"]
        self.reporters = self.staff[:160]
        self.photographers = self.staff[160:200]
        self.page_editors = self.staff[200:]
        self.correspondents = [p for p in people if p.kind == "correspondent"]
        self.freelancers = [p for p in people if p.kind == "freelance"]

    def make_accounts(self):
        User = get_user_model()
        chief = User.objects.create_user(SENTINEL, is_staff=True)  # unusable password
        chief.groups.add(Group.objects.get(name=Role.CHIEF_EDITOR))
        editor = User.objects.create_user(EDITOR, is_staff=True)
        editor.groups.add(Group.objects.get(name=Role.EDITOR))
        Person.objects.filter(pk=self.page_editors[0].pk).update(user=editor)
        self.chief, self.editor = chief, editor

    def make_sections(self):
        self.sections = {}
        for position, (name, slug) in enumerate(PAGES):
            self.sections[name], _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )

    def make_tags(self, count=1500):
        words = set()
        for length, share in [(2, 0.5), (3, 0.3), (4, 0.2)]:
            words.update(self.writer.sample_words(length, int(count * share)))
        self.tags = Tag.objects.bulk_create([Tag(name=w, slug=w) for w in sorted(words)])

    def make_pictures(self):
        """Store a few real pictures (cleaned, with renditions) for the photo rows to share."""
        self.pictures = []
        for n in range(self.picture_count):
            photo = Photo(caption="基准测试图片", alt_text="基准测试图片")
            photo.image.save(f"bench-{n}.jpg", ContentFile(draw_picture(n)), save=False)
            # Made here, as the renditions job would: the data set has no worker.
            renditions = render_stored(photo.image.name, photo.file_key, photo.image.storage)
            self.pictures.append(
                {
                    "image": photo.image.name,
                    "width": photo.width,
                    "height": photo.height,
                    "file_key": photo.file_key,
                    "rendition_files": renditions,
                }
            )

    # --- the paper ------------------------------------------------------------

    def edition_dates(self):
        last = timezone.localdate() - datetime.timedelta(days=1)
        return [last - datetime.timedelta(days=n) for n in range(self.days - 1, -1, -1)]

    def per_edition(self, editions):
        base, extra = divmod(self.total, editions)
        return [base + (1 if n < extra else 0) for n in range(editions)]

    def make_editions(self, dates):
        tz = timezone.get_current_timezone()
        editions = []
        for number, date in enumerate(dates, start=1000):
            at = datetime.datetime.combine(date, datetime.time(5, 30), tzinfo=tz)
            editions.append(
                Edition(
                    date=date,
                    number=number,
                    status=Edition.Status.PUBLISHED,
                    signed_off_by=self.chief,
                    signed_off_at=at - datetime.timedelta(hours=4),
                    published_at=at,
                    published_by=self.chief,
                )
            )
        editions = Edition.objects.bulk_create(editions, batch_size=BATCH)
        pages = [
            Page(edition=e, number=n, name=name, editor=self.random.choice(self.page_editors))
            for e in editions
            for n, (name, _slug) in enumerate(PAGES, start=1)
        ]
        pages = Page.objects.bulk_create(pages, batch_size=BATCH)
        by_edition = {}
        for page in pages:
            by_edition.setdefault(page.edition_id, []).append(page)
        return editions, by_edition

    def kind(self):
        roll, total = self.random.random(), 0
        for kind, share in KINDS:
            total += share
            if roll < total:
                return kind
        return Article.Kind.NEWS

    def article(self, page, position, at):
        kind = self.kind()
        body = self.writer.body(1 if kind == Article.Kind.PHOTO else None)
        if kind == Article.Kind.BRIEF:
            body = self.writer.paragraph()
        wire = self.random.random() < 0.1
        return Article(
            kind=kind,
            kicker=self.writer.headline() if self.random.random() < 0.2 else "",
            headline="" if kind == Article.Kind.PHOTO else self.writer.headline(),
            subheadline=self.writer.headline() if self.random.random() < 0.3 else "",
            source=f"新华社北京{at.month}月{at.day}日电" if wire else "本报讯",
            body=body,
            summary=self.writer.sentence() if self.random.random() < 0.3 else "",
            section=self.sections[page.name],
            status=Article.Status.PUBLISHED,
            page=page,
            position=position,
            char_count=count_chars(body),
            created_by=self.editor,
            submitted_at=at - datetime.timedelta(hours=9),
            approved_at=at - datetime.timedelta(hours=6),
            approved_by=self.editor,
            published_at=at,
            published_by=self.chief,
        )

    def credits_for(self, kind):
        if kind == Article.Kind.PHOTO:
            return [(self.random.choice(self.photographers), Byline.Role.PHOTOGRAPHER)]
        people = [(self.random.choice(self.reporters), Byline.Role.REPORTER)]
        if self.random.random() < 0.35:
            people.append((self.random.choice(self.reporters), Byline.Role.REPORTER))
        if self.random.random() < 0.3:
            people.append((self.random.choice(self.correspondents), Byline.Role.CORRESPONDENT))
        if kind == Article.Kind.COMMENTARY:
            people = [(self.random.choice(self.freelancers), Byline.Role.AUTHOR)]
        return list(dict.fromkeys(people))

    def tags_for(self):
        return self.random.sample(self.tags, self.random.choice([0, 1, 2, 2, 3, 4]))

    def photo_count(self, kind):
        if kind == Article.Kind.PHOTO:
            return 1
        if self.random.random() < PHOTO_SHARE:
            return 2 if self.random.random() < 0.15 else 1
        return 0

    def save_batch(self, articles):
        """Write articles with their bylines, tags and photos, and index them."""
        articles = Article.objects.bulk_create(articles)
        bylines, tagged, photos, uses = [], [], [], []
        for article in articles:
            for position, (person, role) in enumerate(self.credits_for(article.kind)):
                bylines.append(Byline(article=article, person=person, role=role, position=position))
            for tag in self.tags_for():
                tagged.append(TaggedArticle(content_object=article, tag=tag))
            for position in range(self.photo_count(article.kind)):
                picture = self.random.choice(self.pictures)
                caption = self.writer.sentence()
                photos.append(Photo(caption=caption, alt_text=caption[:60], **picture))
                uses.append((article, position))
        Byline.objects.bulk_create(bylines)
        TaggedArticle.objects.bulk_create(tagged)
        photos = Photo.objects.bulk_create(photos)
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=article, photo=photo, position=position)
            for photo, (article, position) in zip(photos, uses, strict=True)
        )
        PhotoCredit.objects.bulk_create(
            PhotoCredit(photo=photo, person=self.random.choice(self.photographers), position=0)
            for photo in photos
        )
        ids = [a.pk for a in articles]
        # auto_now(_add) ignores given values: date published copy by its publication.
        Article.objects.filter(pk__in=ids, published_at__isnull=False).update(
            created_at=F("published_at") - datetime.timedelta(hours=10),
            updated_at=F("published_at"),
        )
        search.index_articles(Article.objects.filter(pk__in=ids), batch_size=BATCH)
        return len(articles)

    def make_copy(self, editions, pages):
        made, batch = 0, []
        for edition, count in zip(editions, self.per_edition(len(editions)), strict=True):
            edition_pages = pages[edition.pk]
            positions = dict.fromkeys((p.pk for p in edition_pages), 0)
            for n in range(count):
                page = edition_pages[n % len(edition_pages)]
                positions[page.pk] += 1
                batch.append(self.article(page, positions[page.pk], edition.published_at))
            if len(batch) >= BATCH:
                with transaction.atomic():
                    made += self.save_batch(batch)
                batch = []
                self.progress(made, self.total)
        if batch:
            with transaction.atomic():
                made += self.save_batch(batch)
        self.progress(made, self.total)
        return made

    def make_desk(self):
        """Copy still on the desk, so that the admin lists every state, not only published."""
        states = [Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.APPROVED]
        articles = []
        for n in range(150):
            body = self.writer.body()
            status = states[n % 3]
            articles.append(
                Article(
                    headline=self.writer.headline(),
                    source="本报讯",
                    body=body,
                    char_count=count_chars(body),
                    section=self.sections["综合"],
                    status=status,
                    created_by=self.editor,
                )
            )
        with transaction.atomic():
            self.save_batch(articles)

    def make_paper(self):
        """Everything but the copy, in one transaction; return the editions and their pages."""
        with transaction.atomic():
            self.make_people()
            self.make_accounts()
            self.make_sections()
            self.make_tags()
            self.make_pictures()
            return self.make_editions(self.edition_dates())

    def build(self):
        editions, pages = self.make_paper()
        self.make_copy(editions, pages)
        self.make_desk()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does to a table that has settled: planner
                # statistics, and a visibility map that lets COUNT(*) and the
                # admin's date list read indexes instead of the whole table.
                # (VACUUM cannot run in a transaction, as in a test.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return summary(built=True)


def approve_on_record(articles, reviewers):
    """Give approved copy the review record the workflow would have written.

    One round per article needing its section's levels, each level approved
    by a different one of reviewers (the data set is built in bulk, not
    through the workflow; placement and publication ask the record).
    """
    rounds = Submission.objects.bulk_create(
        Submission(
            article=article,
            section_id=article.section_id,
            levels=article.section.review_levels if article.section_id else 1,
        )
        for article in articles
    )
    Approval.objects.bulk_create(
        Approval(submission=submission, level=level, approver=reviewers[level - 1])
        for submission in rounds
        for level in range(1, submission.levels + 1)
    )
    for submission in rounds:
        Article.objects.filter(pk=submission.article_id).update(
            levels_needed=submission.levels, review_level=submission.levels
        )


def reviewers():
    """Three people of the desk, one per level of 三审, for approve_on_record."""
    User = get_user_model()
    return [
        User.objects.get_or_create(username=f"benchmark-reviewer-{level}")[0] for level in (1, 2, 3)
    ]


def ready_edition(articles=60, pages=6, seed=7):
    """Add an edition after the last one, signed off, with approved copy on named pages.

    Its copy is like the data set's: bylines, tags, and a picture on every
    third story, each photo captioned and credited, so the preflight passes.
    """
    rng, writer = random.Random(seed), Writer(seed)
    User = get_user_model()
    chief = User.objects.get(username=SENTINEL)
    last = Edition.objects.order_by("-date").first()
    date = last.date + datetime.timedelta(days=1)
    staff = list(Person.objects.filter(kind="staff")[:200])
    template = Photo.objects.exclude(image="").order_by("pk").first()
    tags = list(Tag.objects.all()[:500])
    sections = {s.name: s for s in Section.objects.all()}
    with transaction.atomic():
        edition = Edition.objects.create(date=date, number=(last.number or 0) + 1)
        for number in range(1, pages + 1):
            name = PAGES[number - 1][0]
            page = Page.objects.create(
                edition=edition, number=number, name=name, editor=rng.choice(staff)
            )
            for position in range(1, articles // pages + 1):
                body = writer.body()
                article = Article.objects.create(
                    headline=writer.headline(),
                    source="本报讯",
                    body=body,
                    section=sections.get(name),
                    status=Article.Status.APPROVED,
                    page=page,
                    position=position,
                )
                Byline.objects.create(article=article, person=rng.choice(staff))
                article.tags.add(*rng.sample(tags, 2))
                if position % 3 == 1:
                    photo = Photo.objects.create(
                        image=template.image.name,
                        width=template.width,
                        height=template.height,
                        rendition_files=template.rendition_files,
                        caption=writer.sentence(),
                        alt_text="基准测试图片",
                    )
                    PhotoCredit.objects.create(photo=photo, person=rng.choice(staff))
                    ArticlePhoto.objects.create(article=article, photo=photo)
        placed = Article.objects.filter(page__edition=edition).select_related("section")
        approve_on_record(placed, reviewers())
        search.index_articles(placed)
    return edition, chief


def remove_edition(edition):
    """Delete an edition made by ready_edition, with its copy and photos."""
    with transaction.atomic():
        photos = list(
            Photo.objects.filter(uses__article__page__edition=edition).values_list("pk", flat=True)
        )
        Article.objects.filter(page__edition=edition).delete()
        Photo.objects.filter(pk__in=photos).delete()
        edition.delete()
