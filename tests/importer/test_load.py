"""What an import writes: articles with their pictures, column labels, stories continued over pages."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from articles.importer.export import page_items, render_page
from articles.importer.load import _pair, import_page
from articles.importer.parse import PageFormatError
from articles.models import Article, ArticlePhoto, Byline, Edition, Page
from media.models import Photo, PhotoCredit
from people.models import Person
from tests.factories import EditionFactory
from tests.media.pictures import picture_bytes

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "corpus"
DAY = datetime.date(2024, 3, 26)
MODELS = [Edition, Page, Article, Byline, Photo, PhotoCredit, ArticlePhoto, Person]

FRONT = (CORPUS / "09_continued_head.txt").read_text(encoding="utf-8")
INSIDE = (CORPUS / "10_continued_tail.txt").read_text(encoding="utf-8")
POLICY = "我市出台20条措施支持民营经济发展"
HYDROGEN = "全市首座氢能公交加氢站投用"
POLICY_REST = "获得更便捷的金融服务。"
HYDROGEN_REST = "市公交集团相关负责人介绍"


@pytest.fixture(autouse=True)
def editor(people):
    """The desk editor who imports; the newsroom's people exist beforehand."""
    global EDITOR
    EDITOR = people["editor"]
    return EDITOR


def counts():
    return {
        model.__name__: model.objects.exclude(user__isnull=False).count()
        if model is Person
        else model.objects.count()
        for model in MODELS
    }


def load(text, number, user=None, **kwargs):
    return import_page(text, date=DAY, number=number, user=user or EDITOR, **kwargs)


def whole(headline):
    return Article.objects.get(headline=headline)


def test_a_story_continued_on_a_later_page_is_made_whole_when_that_page_is_imported():
    load(FRONT, 1, name="要闻")
    policy = whole(POLICY)
    assert policy.continued_on == 3
    assert policy.paragraphs[-1].endswith("让更多企业")  # cut by the jump, waiting for the rest

    result = load(INSIDE, 3)
    policy.refresh_from_db()
    assert policy.page.number == 1
    # The sentence cut by the jump is one sentence again.
    assert "让更多企业获得更便捷的金融服务。" in policy.paragraphs[-3]
    assert policy.paragraphs[-1].startswith("市发展改革委负责人表示")
    assert HYDROGEN_REST in whole(HYDROGEN).body
    # Page 3 holds only its own story; the continuations went to their heads.
    assert [a.headline for a in Page.objects.get(number=3).articles.all()] == ["老年大学春季班开学"]
    assert [result.outcome(a) for a in result.articles] == ["joined", "created", "joined"]


def test_a_continuation_imported_first_is_linked_and_joined_when_its_start_arrives():
    result = load(INSIDE, 3)
    tails = Article.objects.filter(continued_from=1).order_by("position")
    assert [(t.headline, t.page.number) for t in tails] == [
        ("让更多企业轻装上阵", 3),
        ("氢能公交加氢站投用", 3),
    ]
    assert [w.code for w in result.warnings].count("continuation") == 2

    load(FRONT, 1)
    # What they were is spiked, saying where the text went; page 3 prints them no more.
    assert {t.status for t in tails.all()} == {Article.Status.SPIKED}
    assert (
        "我市出台20条措施支持民营经济发展"
        in tails.get(headline="让更多企业轻装上阵")
        .transitions.get(to_status=Article.Status.SPIKED)
        .note
    )
    assert [i.headline for i in page_items(Page.objects.get(number=3))] == [
        "老年大学春季班开学",
        "我市出台20条措施支持民营经济发展",
        "全市首座氢能公交加氢站投用",
    ]
    policy = whole(POLICY)
    assert "让更多企业获得更便捷的金融服务。" in policy.body
    assert policy.paragraphs[-1].startswith("市发展改革委负责人表示")
    assert HYDROGEN_REST in whole(HYDROGEN).body


@pytest.mark.parametrize("order", [(1, 3), (3, 1)])
def test_importing_either_page_again_keeps_the_story_whole_and_duplicates_nothing(order):
    pages = {1: FRONT, 3: INSIDE}
    for number in order:
        load(pages[number], number)
    before, body = counts(), whole(POLICY).body
    for number in (*order, *order):
        load(pages[number], number)
    assert counts() == before
    assert whole(POLICY).body == body


def test_a_reimported_start_replaces_its_own_part_and_keeps_the_rest():
    load(FRONT, 1)
    load(INSIDE, 3)
    load(FRONT.replace("全年预计为企业减负超过15亿元", "全年预计为企业减负超过16亿元"), 1)
    policy = whole(POLICY)
    assert "减负超过16亿元" in policy.body and "减负超过15亿元" not in policy.body
    assert policy.paragraphs[-1].startswith("市发展改革委负责人表示")


def test_a_continuation_of_copy_past_draft_is_kept_apart_with_a_warning():
    load(FRONT, 1)
    Article.objects.filter(headline=POLICY).update(status=Article.Status.APPROVED)
    result = load(INSIDE, 3)
    assert whole(POLICY).body.endswith("让更多企业")
    assert Article.objects.get(headline="让更多企业轻装上阵").continued_from == 1
    assert [w.message for w in result.warnings if w.code == "continuation"] == [
        "前半部分（第1版“我市出台20条措施支持民营经济发展”）不是您的草稿：本部分单独保存为一篇稿件"
    ]


def test_a_continuation_of_another_editors_draft_is_kept_apart(people, django_user_model):
    from tests.conftest import make_user

    load(FRONT, 1)
    other = make_user(django_user_model, "editor2", "Editor", "苏武")
    load(INSIDE, 3, user=other)
    assert whole(POLICY).body.endswith("让更多企业")  # the first editor's draft is untouched
    assert Article.objects.get(headline="让更多企业轻装上阵").created_by == other


def test_the_export_prints_a_whole_story_as_the_two_pages_printed_it():
    load(FRONT, 1)
    load(INSIDE, 3)
    front = render_page(page_items(Page.objects.get(number=1)))
    inside = render_page(page_items(Page.objects.get(number=3)))
    assert "让更多企业（下转第3版）" in front
    assert "（上接第1版）\n\n获得更便捷的金融服务。" in inside
    # Imported again, the printed pages change nothing.
    before = counts()
    load(front, 1)
    load(inside, 3)
    assert counts() == before


def test_an_article_keeps_its_pictures_with_their_credits_awaiting_their_images():
    text = (CORPUS / "07_pictures.txt").read_text(encoding="utf-8")
    load(text, 2)
    article = whole("新能源汽车下乡活动走进三河镇")
    (photo,) = article.photos.all()
    assert photo.caption == "图为村民在活动现场了解新能源汽车性能。"
    assert photo.credit_line == "尚云飞 摄"
    assert not photo.image
    assert Article.objects.filter(kind=Article.Kind.PHOTO).count() == 2
    assert article.kind == Article.Kind.NEWS
    before = counts()
    load(text, 2)
    assert counts() == before


def test_a_picture_dropped_from_the_page_goes_unless_it_has_an_image():
    text = (CORPUS / "07_pictures.txt").read_text(encoding="utf-8")
    load(text, 2)
    kept = whole("樱花季迎来赏花客流高峰").photos.get()
    kept.image.save("sakura.jpg", ContentFile(picture_bytes()))
    gone = whole("高铁新城首批安置房交付").photos.get()
    without = text.replace("江滨公园里，游客在盛开的樱花树下拍照留念。\n\n本报记者 吕晨 摄\n\n", "")
    without = without.replace("居民在交房现场查看新房户型图。（本报记者 吕晨 摄）\n\n", "")
    load(without, 2)
    assert not whole("樱花季迎来赏花客流高峰").photos.exists()
    assert Photo.objects.filter(pk=kept.pk).exists()  # its picture is not thrown away
    assert not Photo.objects.filter(pk=gone.pk).exists()


def test_a_column_label_is_kept_in_the_printed_headline():
    text = (CORPUS / "05_headline_stacks.txt").read_text(encoding="utf-8")
    load(text, 5)
    assert Article.objects.filter(headline="让社区“微更新”更有温度（城市更新·一线见闻）").exists()
    columns = [(i.headline, i.column) for i in page_items(Page.objects.get(number=5)) if i.column]
    assert columns == [
        ("让社区“微更新”更有温度", "城市更新·一线见闻"),
        ("小区停车难如何破解", "民生观察"),
    ]


def test_intertitles_stay_in_the_body_and_survive_an_edit_in_the_admin():
    from articles.copy.bodytext import normalize_body

    load((CORPUS / "06_intertitles.txt").read_text(encoding="utf-8"), 4)
    article = whole("一条老街的“新生”")
    assert article.paragraphs[1] == "留住老街的“魂”"
    assert normalize_body(article.body) == article.body


def test_commentaries_are_filed_with_their_authors():
    load((CORPUS / "08_commentary.txt").read_text(encoding="utf-8"), 6)
    signed = whole("春天里的一场约定")
    assert [(b.person.name, b.role) for b in signed.bylines.all()] == [("伍思琪", "author")]
    assert not signed.source


def test_a_page_the_parser_cannot_read_is_refused_with_line_and_reason_and_nothing_is_written():
    EditionFactory(date=DAY)
    before = counts()
    text = FRONT.replace("春季高校毕业生双选会举行\n\n", "")  # a dateline left without headline
    with pytest.raises(PageFormatError) as refused:
        load(text, 1)
    assert refused.value.line == 11
    assert "本报讯（记者 于洋）" in str(refused.value)
    assert counts() == before


def test_the_command_refuses_an_unreadable_page_with_its_line_and_writes_nothing(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("标题\n\n正文一段。\n\n宋卫东 李学军 摄\n\n（下转第3版）\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第7行：转版标记前面没有稿件"):
        call_command("import_page", str(path), "--date", "2024-03-26", "--page", "1")
    assert sum(counts().values()) == 0


@pytest.mark.parametrize("role", ["reporter", "photographer", "nobody"])
def test_only_the_desk_imports_a_page(people, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        load(FRONT, 1, user=people[role])
    assert counts() == before
    result = load(FRONT, 1, user=people["editor"])
    assert {a.created_by for a in result.created} == {people["editor"]}


def test_the_command_lists_the_warnings_before_writing(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text((CORPUS / "07_pictures.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = StringIO()
    call_command(
        "import_page", str(path), "--date", "2024-03-26", "--page", "2", "--dry-run", stdout=out
    )
    report = out.getvalue()
    assert "line 27:" in report and "line 49:" in report
    assert "3 warnings" in report
    assert sum(counts().values()) == 0


def test_the_export_costs_the_same_queries_however_much_copy_the_page_holds(
    django_assert_max_num_queries,
):
    load((CORPUS / "10_continued_tail.txt").read_text(encoding="utf-8"), 3)
    small = Page.objects.get(number=3)
    with django_assert_max_num_queries(10):
        page_items(small)
    load(FRONT, 1)
    for number, name in ((7, "07_pictures"), (8, "08_commentary"), (4, "06_intertitles")):
        load((CORPUS / f"{name}.txt").read_text(encoding="utf-8"), number)
    Article.objects.filter(page__number__in=[4, 7, 8]).update(page=small)
    with django_assert_max_num_queries(10):
        items = page_items(small)
    assert len(items) > 12


def test_continuations_pair_with_the_starts_whose_words_they_share():
    tails = [
        "氢能公交加氢站投用市公交集团相关负责人介绍",
        "让更多企业轻装上阵获得更便捷的金融服务。",
    ]
    heads = [
        "我市出台20条措施支持民营经济发展让更多企业",
        "全市首座氢能公交加氢站投用据了解，这座加氢站",
    ]
    assert _pair(tails, heads) == {0: 1, 1: 0}
    # Without a shared word, only a pair left alone on both sides is made.
    assert _pair(["甲乙丙"], ["丁戊己"]) == {0: 0}
    assert _pair(["甲乙丙", "庚辛壬"], ["丁戊己", "子丑寅"]) == {}


def test_a_page_printing_a_continuation_is_typeset_with_it():
    from articles.demo.typeset import compose_stored_page

    load(FRONT, 1)
    load(INSIDE, 3)
    pdf = compose_stored_page(Page.objects.get(number=3), "江州日报")
    assert pdf.startswith(b"%PDF")
