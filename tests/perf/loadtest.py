"""Readers and an editor at once against the production server, and what must hold meanwhile.

locust (tests/perf/locustfile.py, in a process of its own) plays readers and
one editor: the readers request pages from many connections; the editor logs
in to the admin like a person (login form, CSRF token from the page it
opens) and publishes and withdraws web copy every few seconds, checking each
answer. It writes down every request and every action; afterwards:

- no server error and no missing answer, except while the database is
  being restarted (a window given by the caller), and none once it is back;
- no 200 for a withdrawn article, and no link to it in a list page, from a
  request that started after its withdrawal had returned;
- no 404 for a published article from a request that started after its
  publication had returned;
- the share of readers' requests the page cache answered (from gunicorn's
  access log, which logs each request's hit or miss), or with --varnish the
  share Varnish answered from its storage (varnishstat), which must be at
  least VARNISH_HITS.

Used by `manage.py loadtest` (make loadtest).
"""

import json
import math
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
ACCESS_LOG_FORMAT = "%(U)s %(s)s %({newsroom.cache}e)s"
LIST_PAGES = ("/", "/feeds/rss/")  # as the locustfile's readers
# Through Varnish, the share of readers' pages it must answer from its storage
# while the editor publishes and withdraws (issue 30).
VARNISH_HITS = 0.95


@dataclass
class Answer:
    path: str
    status: int  # 0 when no answer came (refused, reset, timed out)
    started: float  # time.time() when the request was sent
    elapsed: float  # seconds
    article: int | None = None  # the article of an article page
    links: set = field(default_factory=set)  # articles a list page links to
    error: str = ""


@dataclass
class Action:
    kind: str  # "publish" or "withdraw"
    article: int
    returned_at: float  # time.time() when the admin's answer arrived
    ok: bool
    answer_lost: bool = False  # applied, though the editor never saw the answer


# What a step leaves the article as, to tell a lost answer from a refusal.
TARGET = {"publish": "published", "withdraw": "withdrawn"}


def applied(kind, article):
    """Return whether the step kind on article took effect (its answer may have been lost)."""
    from articles.models import Article

    status = Article.objects.filter(pk=article).values_list("status", flat=True).first()
    return status == TARGET[kind]


def percentile(values, fraction):
    """Return the nearest-rank percentile of values (fraction 0.5 for the median)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def cache_share(access_log, skip=0):
    """Return (hits, reader requests) from gunicorn's access log in ACCESS_LOG_FORMAT.

    skip: lines to pass over (the warm-up's).
    """
    hits = total = 0
    for line in Path(access_log).read_text(encoding="utf-8").splitlines()[skip:]:
        path, _status, state = (line.split() + ["", "", ""])[:3]
        if path.startswith(("/admin/", "/static/")):
            continue  # the editor's pages and the stylesheet are not readers' pages
        total += 1
        hits += state == "hit"
    return hits, total


@dataclass(frozen=True)
class CacheShare:
    """How many of the readers' requests a cache answered, and the share it must."""

    where: str  # what answered: "the page cache", "Varnish's storage"
    hits: int
    total: int
    goal: float | None = None  # None: told, not judged

    @property
    def short(self) -> bool:
        return self.goal is not None and (not self.total or self.hits / self.total < self.goal)


@dataclass
class Report:
    duration: float
    answers: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    restart: tuple | None = None  # (started, finished) time.time() of an outage
    recovery_grace: float = 5.0
    cache: CacheShare | None = None
    outage: str | None = None  # what was away: "database" or "redis"

    @property
    def rps(self):
        return len(self.answers) / self.duration if self.duration else 0.0

    def latency_ms(self, fraction):
        return 1000 * percentile([a.elapsed for a in self.answers], fraction)

    @property
    def statuses(self):
        return Counter(a.status for a in self.answers)

    def in_restart(self, answer):
        if self.restart is None or self.outage == "redis":
            return False  # without Redis every page renders: nothing may fail
        started, finished = self.restart
        return started <= answer.started + answer.elapsed and (
            answer.started <= finished + self.recovery_grace
        )

    @property
    def server_failures(self):
        return [a for a in self.answers if a.status == 0 or a.status >= 500]

    @property
    def failures(self):
        """Server errors and missing answers outside the database restart (and its grace)."""
        return [a for a in self.server_failures if not self.in_restart(a)]

    @property
    def restart_failures(self):
        return [a for a in self.server_failures if self.in_restart(a)]

    @property
    def recovered_after(self):
        """Seconds from the end of the restart to the first good answer after it."""
        if self.restart is None:
            return None
        finished = self.restart[1]
        after = [a.started + a.elapsed for a in self.answers if a.status == 200]
        after = [t for t in after if t >= finished]
        return min(after) - finished if after else None

    def _done(self, kind):
        return {a.article: a.returned_at for a in self.actions if a.kind == kind and a.ok}

    @property
    def withdrawn_but_served(self):
        """Answers showing a withdrawn article to a request made after the withdrawal returned."""
        withdrawn, bad = self._done("withdraw"), []
        for answer in self.answers:
            if answer.status != 200:
                continue
            shown = answer.links | ({answer.article} if answer.article else set())
            for pk in shown:
                if pk in withdrawn and answer.started > withdrawn[pk]:
                    bad.append((answer.path, pk))
        return bad

    @property
    def published_but_missing(self):
        published = self._done("publish")
        return [
            (a.path, a.article)
            for a in self.answers
            if a.status == 404 and a.article in published and a.started > published[a.article]
        ]

    @property
    def ok(self):
        return not (
            self.failures
            or self.withdrawn_but_served
            or self.published_but_missing
            or (self.cache is not None and self.cache.short)
        )

    def summary(self):
        lines = [
            f"{len(self.answers)} reader requests in {self.duration:.0f} s ({self.rps:.0f}/s), "
            f"p50 {self.latency_ms(0.5):.0f} ms, p99 {self.latency_ms(0.99):.0f} ms; "
            f"answers {dict(sorted(self.statuses.items()))}",
            "editor: "
            + ", ".join(
                f"{kind} {sum(a.ok for a in self.actions if a.kind == kind)} done/"
                f"{sum(not a.ok for a in self.actions if a.kind == kind)} failed"
                for kind in ("publish", "withdraw")
            )
            + (
                f" ({lost} done though the answer was lost)"
                if (lost := sum(a.answer_lost for a in self.actions))
                else ""
            ),
        ]
        if (cache := self.cache) is not None:
            share = 100 * cache.hits / cache.total if cache.total else 0
            goal = "" if cache.goal is None else f", goal ≥ {100 * cache.goal:.0f}%"
            lines.append(
                f"served from {cache.where}: {cache.hits} of {cache.total} reader requests "
                f"({share:.1f}%){goal}{' ✗' if cache.short else ''}"
            )
        lines += [
            f"server errors or no answer: {len(self.failures)}",
            f"withdrawn articles still shown after the withdrawal returned: "
            f"{len(self.withdrawn_but_served)}",
            f"published articles missing after the publication returned: "
            f"{len(self.published_but_missing)}",
        ]
        if self.restart:
            started, finished = self.restart
            failed = self.restart_failures
            window = (
                f"{max(a.started + a.elapsed for a in failed) - min(a.started for a in failed):.1f} s"
                if failed
                else "none"
            )
            recovered = self.recovered_after
            during = [a for a in self.answers if started <= a.started <= finished]
            errors = [a for a in during if a.status == 0 or a.status >= 500]
            what = {"redis": "Redis", "database": "PostgreSQL"}.get(self.outage, "the outage")
            lines.append(
                f"{what} away for {finished - started:.1f} s: {len(during)} requests meanwhile, "
                f"{len(errors)} of them 5xx or unanswered ({len(failed)} failed around it, "
                f"failing for {window}); first good answer "
                + (f"{recovered:.2f} s after it" if recovered is not None else "never")
            )
            after = [a for a in self.actions if a.returned_at > finished]
            lines.append(
                f"editor steps after it: {sum(a.ok for a in after)} done, "
                f"{sum(not a.ok for a in after)} failed (the editor never logs in again: "
                "a lost session fails every step)"
            )
        return "\n".join(lines)


def warm_up(base, paths):
    """Ask for every page once, as readers did before the test began (a site's cache is warm)."""
    from tests.perf import browser, liveserver

    reader = browser.Connection(base, liveserver.FORWARDED)
    try:
        for path in [*LIST_PAGES, *paths]:
            reader.get(path)
    finally:
        reader.close()


def read_records(path):
    """Return the answers and actions the locustfile wrote down."""
    answers, actions = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind = record.pop("type")
        if kind == "answer":
            record["links"] = set(record["links"])
            answers.append(Answer(**record))
        else:
            actions.append(Action(**record))
    return answers, actions


def run_locust(base, *, readers, duration, editor, to_publish, to_withdraw, other_paths, workdir,
               pause=2.0, seed=1):  # fmt: skip
    """Run the locustfile against base; return (answers, actions, seconds)."""
    workdir = Path(workdir)
    records = workdir / "loadtest-records.jsonl"
    records.unlink(missing_ok=True)
    config = workdir / "loadtest-config.json"
    config.write_text(
        json.dumps(
            {
                "editor": editor,
                "to_publish": to_publish,
                "to_withdraw": to_withdraw,
                "other_paths": other_paths,
                "pause": pause,
                "seed": seed,
                "records": str(records),
            }
        ),
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(readers + 1),  # and the editor
        "--spawn-rate",
        str(readers + 1),
        "--run-time",
        f"{duration:g}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "NEWSROOM_LOADTEST": str(config)}
    log = workdir / "locust.log"
    with open(log, "w", encoding="utf-8") as out:
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if not records.exists():
        raise RuntimeError(f"locust wrote nothing; see {log}")
    answers, actions = read_records(records)
    starts = [a.started for a in answers] or [0]
    ends = [a.started + a.elapsed for a in answers] or [0]
    return answers, actions, max(ends) - min(starts)
