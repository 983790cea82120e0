"""The load test's judgement: what counts as a stale page or a failure."""

from tests.perf.liveserver import varnish_lookups
from tests.perf.loadtest import (
    VARNISH_HITS,
    Action,
    Answer,
    CacheShare,
    Report,
    cache_share,
    read_records,
)


def answer(path, status, started, article=None, links=()):
    return Answer(path, status, started, 0.01, article, set(links))


def report(*answers, actions=(), restart=None):
    return Report(10, list(answers), list(actions), restart)


WITHDRAWN = Action("withdraw", 7, returned_at=5.0, ok=True)


def test_a_withdrawn_article_served_after_its_withdrawal_returned_is_caught():
    stale = report(answer("/articles/7/", 200, 5.5, article=7), actions=[WITHDRAWN])
    assert stale.withdrawn_but_served == [("/articles/7/", 7)]
    assert not stale.ok


def test_a_list_page_linking_to_it_afterwards_is_caught_too():
    stale = report(answer("/", 200, 6.0, links=[3, 7]), actions=[WITHDRAWN])
    assert stale.withdrawn_but_served == [("/", 7)]


def test_requests_made_before_the_withdrawal_returned_may_still_see_it():
    early = report(
        answer("/articles/7/", 200, 4.9, article=7),
        answer("/articles/7/", 410, 5.1, article=7),
        actions=[WITHDRAWN],
    )
    assert early.ok


def test_a_refused_withdrawal_is_not_held_against_the_readers():
    refused = Action("withdraw", 7, returned_at=5.0, ok=False)
    assert report(answer("/articles/7/", 200, 6.0, article=7), actions=[refused]).ok


def test_a_published_article_missing_after_its_publication_returned_is_caught():
    published = Action("publish", 9, returned_at=2.0, ok=True)
    missing = report(answer("/articles/9/", 404, 2.5, article=9), actions=[published])
    assert missing.published_but_missing == [("/articles/9/", 9)]


def test_server_errors_count_except_during_a_database_restart_and_its_grace():
    during = answer("/", 503, 11.0)
    no_answer = answer("/", 0, 14.0)
    after = answer("/", 500, 30.0)
    restarted = report(during, no_answer, after, restart=(10.0, 12.0))
    assert restarted.failures == [after]
    assert restarted.restart_failures == [during, no_answer]


def test_recovery_is_the_first_good_answer_after_the_restart():
    restarted = report(answer("/", 503, 12.5), answer("/", 200, 13.0), restart=(10.0, 12.0))
    assert abs(restarted.recovered_after - 1.01) < 1e-9
    assert report(answer("/", 503, 12.5), restart=(10.0, 12.0)).recovered_after is None


def test_the_cache_share_counts_readers_requests_only(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        "/ 200 hit\n/articles/7/ 410 hit\n/articles/8/ 200 miss\n/search/ 200 -\n"
        "/admin/articles/article/7/change/ 200 -\n/static/css/site.css 200 -\n"
    )
    assert cache_share(log) == (2, 4)


def test_through_varnish_fewer_than_95_percent_of_pages_from_its_storage_fails_the_run():
    short = Report(
        10, [answer("/", 200, 1.0)], cache=CacheShare("Varnish's storage", 94, 100, VARNISH_HITS)
    )
    assert not short.ok
    assert "94 of 100 reader requests (94.0%), goal ≥ 95% ✗" in short.summary()
    enough = Report(
        10, [answer("/", 200, 1.0)], cache=CacheShare("Varnish's storage", 95, 100, VARNISH_HITS)
    )
    assert enough.ok and "✗" not in enough.summary()
    # Without a goal (the app's own page cache) the share is told, never judged.
    told = Report(10, [answer("/", 200, 1.0)], cache=CacheShare("the page cache", 10, 100))
    assert told.ok and "10 of 100 reader requests (10.0%)" in told.summary()


def test_varnish_lookups_are_read_from_varnishstat_json():
    counters = {"MAIN.cache_hit": {"value": 41}, "MAIN.cache_miss": {"value": 3}}
    assert varnish_lookups({"version": 1, "counters": counters}) == (41, 3)  # Varnish 6.5 on
    assert varnish_lookups({"timestamp": "…", **counters}) == (41, 3)  # before


def test_the_records_locust_wrote_are_read_back(tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text(
        '{"type": "answer", "path": "/", "status": 200, "started": 1.0, "elapsed": 0.1, '
        '"article": null, "links": [7], "error": ""}\n'
        '{"type": "action", "kind": "withdraw", "article": 7, "returned_at": 0.5, "ok": true}\n'
    )
    answers, actions = read_records(records)
    assert report(*answers, actions=actions).withdrawn_but_served == [("/", 7)]
