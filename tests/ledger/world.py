"""A month at the paper, built through the workflow, with every 稿费 figure worked out by hand.

November 2026, rules: news 80 yuan per 千字 (at least 30), feature 100 (at
least 50), brief 60 (at least 20), photo news nothing for its text; 30 yuan
a photo; 头版 ×1.5, 头条 ×1.2; several bylines share equally.

Edition of 10 November, published that day:
  A  news, 1,250 字, page 1 first (头版头条), 林晓 and 周敏, one photo by 陈光
     80 × 1.25 = 100.00 × 1.5 × 1.2 = 180.00 → 90.00 each; photo 30.00 to 陈光
  B  feature, 2,345 字, page 2 first (头条), 周敏 alone
     100 × 2.345 = 234.50 × 1.2 = 281.40
  C  brief, 333 字, page 2 second, 林晓, 许诺 and 周敏
     60 × 0.333 = 19.98 < 20.00 → 20.00 / 3 = 6.67, 6.67, 6.66 (the odd fen to the first named)
  D  photo news, page 2 third, one photo by 陈光 and 宋卫东: 30.00 → 15.00 each
And on the web alone, 12 November: E, news, 林晓 (counted, not paid: 稿费 is for print).
And F, 林晓's, filed on 3 November, returned on the 4th, resubmitted on the 5th and
approved on the 6th: filed, returned and approved once each, not published.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from articles import services, workflow
from articles.models import FeeRules
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
    SectionFactory,
)

ZONE = ZoneInfo("Asia/Shanghai")
NOVEMBER = datetime.date(2026, 11, 1)
DECEMBER = datetime.date(2026, 12, 1)


def at(month, day, hour=9):
    return datetime.datetime(2026, month, day, hour, tzinfo=ZONE)


def set_rules(chief):
    rules = FeeRules.objects.get()
    rules.per_photo = Decimal("30.00")
    rules.front_page_multiplier = Decimal("1.50")
    rules.lead_multiplier = Decimal("1.20")
    rules.sharing = FeeRules.Sharing.EQUAL
    rate = services.FeeRate
    return services.save_fee_rules(
        rules,
        user=chief,
        rates=[
            rate("news", Decimal("80"), Decimal("30")),
            rate("feature", Decimal("100"), Decimal("50")),
            rate("commentary", Decimal("120"), Decimal("50")),
            rate("photo", Decimal("0"), Decimal("0")),
            rate("brief", Decimal("60"), Decimal("20")),
        ],
    )


class Month:
    """The month, its people and pieces."""

    def __init__(self, people):
        self.people = people
        chief, editor = people["chief"], people["editor"]
        set_rules(chief)
        self.lin = people["reporter"].person  # 林晓
        self.xu = people["other_reporter"].person  # 许诺
        self.zhou = people["correspondent"].person  # 周敏
        self.zhou.organization = "江南街道办事处"
        self.zhou.save()
        self.chen = people["photographer"].person  # 陈光
        self.song = PersonFactory(name="宋卫东", kind="freelance")
        self.city = SectionFactory(name="城市", slug="city")
        self.culture = SectionFactory(name="文化", slug="culture")
        self.city.desk_heads.add(people["desk_head"].person)
        with time_machine.travel(at(11, 9), tick=False):
            edition = EditionFactory(date=datetime.date(2026, 11, 10), number=6200)
            front = PageFactory(edition=edition, number=1, name="要闻", editor=editor.person)
            second = PageFactory(edition=edition, number=2, name="城市", editor=editor.person)
            self.a = self.piece("news", 1250, front, 1, [self.lin, self.zhou], self.city)
            self.photo_a = self.photo(self.a, [self.chen])
            self.b = self.piece("feature", 2345, second, 1, [self.zhou], self.culture)
            self.c = self.piece("brief", 333, second, 2, [self.lin, self.xu, self.zhou], self.city)
            self.d = self.piece("photo", 60, second, 3, [], self.city, headline="")
            self.photo_d = self.photo(self.d, [self.chen, self.song])
            BylineFactory(article=self.d, person=self.chen, role="photographer")
            self.e = self.piece("news", 500, None, None, [self.lin], self.city)
        with time_machine.travel(at(11, 10, 6), tick=False):
            workflow.sign_off(edition, user=chief)
            workflow.publish_edition(edition, user=chief)
        with time_machine.travel(at(11, 12), tick=False):
            workflow.transition(self.e, "publish_now", user=editor)
        self.edition = edition
        reporter = people["reporter"]
        with time_machine.travel(at(11, 2), tick=False):
            self.f = ArticleFactory(
                body="字" * 800, section=self.city, created_by=reporter, headline="社区新事"
            )
            BylineFactory(article=self.f, person=self.lin)
        for day, step, who, note in (
            (3, "submit", reporter, ""),
            (4, "return", editor, "请补充采访"),
            (5, "resubmit", reporter, ""),
            (6, "approve", editor, ""),
        ):
            with time_machine.travel(at(11, day), tick=False):
                workflow.transition(self.f, step, user=who, note=note)

    def piece(self, kind, chars, page, position, bylines, section, headline=None):
        body = "字" * chars
        article = ArticleFactory(
            kind=kind,
            body=body,
            section=section,
            status="approved",
            page=page,
            position=position or 0,
            created_by=self.people["reporter"],
            **({"headline": headline} if headline is not None else {}),
        )
        for person in bylines:
            role = "correspondent" if person == self.zhou else "reporter"
            BylineFactory(article=article, person=person, role=role)
        assert article.char_count == chars
        return article

    def photo(self, article, photographers):
        photo = PhotoFactory()
        for position, person in enumerate(photographers):
            PhotoCreditFactory(photo=photo, person=person, position=position)
        return ArticlePhotoFactory(article=article, photo=photo)
