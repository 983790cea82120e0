import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePhoto, Byline, Edition, Page
from media.models import Photo, PhotoCredit
from people.models import Person
from tests.factories import EditionFactory, PageFactory, PersonFactory

pytestmark = pytest.mark.django_db

MODELS = [Edition, Page, Article, Byline, Photo, PhotoCredit, ArticlePhoto, Person]


@pytest.fixture(autouse=True)
def editor(people):
    """The desk editor who imports (--by editor); the newsroom's people exist beforehand."""
    return people["editor"]


def counts():
    return {
        model.__name__: model.objects.exclude(user__isnull=False).count()
        if model is Person
        else model.objects.count()
        for model in MODELS
    }


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_page", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def seed_file(seed_text, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


def import_seed(seed_file, *extra):
    return run(
        str(seed_file),
        "--date",
        "2022-02-14",
        "--page",
        "2",
        "--name",
        "综合",
        "--by",
        "editor",
        *extra,
    )


def test_import_creates_drafts_on_the_page_in_page_order(seed_file):
    out, _ = import_seed(seed_file)
    page = Page.objects.get(edition__date="2022-02-14", number=2)
    assert page.name == "综合"
    articles = list(page.articles.order_by("position"))
    assert [a.headline for a in articles[:2]] == [
        "我市召开信访工作会议",
        "民政部门多措并举 兜牢民生底线",
    ]
    assert {a.status for a in articles} == {Article.Status.DRAFT}
    assert [a.position for a in articles] == [1, 2, 3, 4, 5, 6]
    assert "6 created" in out


def test_import_stores_the_dateline_as_source_and_ordered_bylines(seed_file):
    import_seed(seed_file)
    article = Article.objects.get(headline="设立接种点 满足儿童接种需要")
    assert article.source == "本报讯"
    assert [(b.person.name, b.role) for b in article.bylines.all()] == [
        ("司勇", "reporter"),
        ("米雪", "correspondent"),
    ]
    assert not article.body.startswith("本报讯")
    assert article.paragraphs[0].startswith("为积极推动3-11周岁儿童")
    assert Person.objects.get(name="米雪").kind == Person.Kind.CORRESPONDENT


def test_photo_news_is_imported_awaiting_its_picture(seed_file):
    import_seed(seed_file)
    item = Article.objects.get(kind=Article.Kind.PHOTO)
    assert item.headline == ""
    assert [(b.person.name, b.role) for b in item.bylines.all()] == [
        ("宋卫东", "photographer"),
        ("李学军", "photographer"),
    ]
    photo = item.photos.get()
    assert not photo.image
    assert photo.caption.startswith("2月12日,阳曲县")
    assert photo.credit_line == "宋卫东 李学军 摄"


def test_people_are_matched_by_name(seed_file):
    existing = PersonFactory(name="胡引平")
    import_seed(seed_file)
    article = Article.objects.get(headline="我市召开信访工作会议")
    assert article.bylines.get().person == existing
    assert Person.objects.filter(name="胡引平").count() == 1


def test_importing_the_same_page_twice_duplicates_nothing(seed_file):
    import_seed(seed_file)
    before = counts()
    out, _ = import_seed(seed_file)
    assert counts() == before
    assert "6 unchanged" in out


def test_reimport_updates_drafts_but_leaves_copy_past_draft_alone(seed_file, seed_text):
    import_seed(seed_file)
    approved = Article.objects.get(headline="我市召开信访工作会议")
    approved.status = Article.Status.APPROVED
    approved.body = "编辑改过的稿子。"
    approved.save()
    seed_file.write_text(seed_text.replace("覆盖率达94.76%", "覆盖率达95%"), encoding="utf-8")
    out, _ = import_seed(seed_file)
    assert "覆盖率达95%" in Article.objects.get(headline="设立接种点 满足儿童接种需要").body
    approved.refresh_from_db()
    assert approved.body == "编辑改过的稿子。"
    assert "1 updated" in out and "1 kept" in out


def test_dry_run_json_prints_the_expected_parse_and_writes_nothing(seed_file, seed_expected_json):
    out, _ = import_seed(seed_file, "--dry-run", "--json")
    printed = json.loads(out)
    expected = json.loads(seed_expected_json)
    assert len(printed["items"]) == len(expected)
    for item, want in zip(printed["items"], expected, strict=True):
        assert {name: item[name] for name in want} == want
    assert {warning["line"] for warning in printed["warnings"]} == {3, 59}
    assert sum(counts().values()) == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\n\n   \n", "is empty"),
        ("我市召开信访工作会议".encode("gbk"), "not UTF-8"),
        ("没有标题也没有电头的一段话。".encode(), "无法识别"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--date", "2022-02-14", "--page", "2")
    assert sum(counts().values()) == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "2022-02-30", "--page", "2"], "YYYY-MM-DD"),
        (["--date", "14/02/2022", "--page", "2"], "YYYY-MM-DD"),
        (["--date", "2022-02-14", "--page", "0"], "page number"),
        (["--date", "2022-02-14", "--page", "二"], "page number"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(seed_file, args, message):
    with pytest.raises(CommandError, match=message):
        run(str(seed_file), *args)
    assert sum(counts().values()) == 0


def test_a_page_number_taken_by_another_page_name_is_refused(seed_file):
    page = PageFactory(edition=EditionFactory(date="2022-02-14"), number=2, name="要闻")
    before = counts()
    with pytest.raises(CommandError, match="already named 要闻"):
        import_seed(seed_file)
    assert counts() == before
    assert not page.articles.exists()


def test_a_published_edition_is_not_changed_by_an_import(seed_file):
    EditionFactory(date="2022-02-14", status=Edition.Status.PUBLISHED)
    before = counts()
    with pytest.raises(CommandError, match="only be imported while it is being planned"):
        import_seed(seed_file)
    assert counts() == before


def test_a_failure_half_way_rolls_back_the_whole_page(seed_file, monkeypatch):
    from articles.importer import load as pagefile

    calls = {"n": 0}
    original = pagefile._credits

    def fail_on_fourth(*args):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return original(*args)

    monkeypatch.setattr(pagefile, "_credits", fail_on_fourth)
    with pytest.raises(RuntimeError):
        import_seed(seed_file)
    assert sum(counts().values()) == 0


def test_export_gives_back_the_imported_page_with_broken_paragraphs_joined(seed_file, seed_text):
    import_seed(seed_file)
    out = StringIO()
    call_command("export_page", "--date", "2022-02-14", "--page", "2", stdout=out)

    # The seed's lines, with each line the layout broke (long, no closing
    # punctuation) joined to the line after it.
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    expected = []
    for line in lines:
        if expected and len(expected[-1]) > 30 and expected[-1][-1] not in "。！？”":
            expected[-1] += line
        else:
            expected.append(line)
    exported = [line for line in out.getvalue().splitlines() if line.strip()]
    assert exported == expected


def test_export_of_a_missing_page_is_refused():
    with pytest.raises(CommandError, match="no page 9"):
        call_command("export_page", "--date", "2022-02-14", "--page", "9")
