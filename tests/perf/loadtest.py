"""Readers and editors at once against the production server, and what must hold meanwhile.

Readers request pages from many connections; editors log in to the admin
like people (login form, CSRF token from the page they open) and publish
and withdraw web copy. Afterwards every answer is checked:

- no server error and no missing answer, except while the database is
  being restarted (a window given by the caller), and none once it is back;
- no 200 for a withdrawn article, and no link to it in a list page, from a
  request that started after its withdrawal had returned;
- no 404 for a published article from a request that started after its
  publication had returned.

Used by `manage.py loadtest` (32 readers for 30 s, optionally restarting
PostgreSQL) and, small, by tests/production/test_live.py in CI.
"""

import random
import re
import threading
import time
from dataclasses import dataclass, field

from tests.perf import httpload, liveserver

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ARTICLE_LINK = re.compile(rb'/articles/(\d+)/"')
LIST_PAGES = ("/", "/feeds/rss/")


@dataclass
class Action:
    kind: str  # "publish" or "withdraw"
    article: int
    returned_at: float  # time.monotonic() when the admin's answer arrived
    ok: bool
    answer_lost: bool = False  # applied, though the editor never saw the answer


# What a step leaves the article as, to tell a lost answer from a refusal.
TARGET = {"publish": "published", "withdraw": "withdrawn"}


def applied(kind, article):
    """Return whether the step kind on article took effect (its answer may have been lost)."""
    from django.db import OperationalError, connection

    from articles.models import Article

    try:
        status = Article.objects.filter(pk=article).values_list("status", flat=True).first()
    except OperationalError:
        # The database is restarting: cannot tell yet; the editor tries again.
        connection.close()
        return False
    return status == TARGET[kind]


@dataclass
class Report:
    duration: float
    answers: list = field(default_factory=list)  # httpload.Response, with .path and .links
    actions: list = field(default_factory=list)
    restart: tuple | None = None  # (started, finished) monotonic times
    recovery_grace: float = 5.0

    @property
    def stats(self):
        return httpload.Stats("readers", self.duration, self.answers)

    def in_restart(self, response):
        if self.restart is None:
            return False
        started, finished = self.restart
        return started <= response.started + response.elapsed and (
            response.started <= finished + self.recovery_grace
        )

    @property
    def failures(self):
        """Server errors and missing answers outside the database restart (and its grace)."""
        return [r for r in self.stats.failures if not self.in_restart(r)]

    @property
    def restart_failures(self):
        return [r for r in self.stats.failures if self.in_restart(r)]

    @property
    def recovered_after(self):
        """Seconds from the end of the restart to the first good answer after it."""
        if self.restart is None:
            return None
        finished = self.restart[1]
        good = [r.started + r.elapsed for r in self.answers if r.status == 200]
        after = [t for t in good if t >= finished]
        return min(after) - finished if after else None

    def _done(self, kind):
        return {a.article: a.returned_at for a in self.actions if a.kind == kind and a.ok}

    @property
    def withdrawn_but_served(self):
        """Answers showing a withdrawn article to a request made after the withdrawal returned."""
        withdrawn, bad = self._done("withdraw"), []
        for r in self.answers:
            if r.status != 200:
                continue
            for pk in r.links | ({r.article} if r.article else set()):
                if pk in withdrawn and r.started > withdrawn[pk]:
                    bad.append((r.path, pk))
        return bad

    @property
    def published_but_missing(self):
        published = self._done("publish")
        return [
            (r.path, r.article)
            for r in self.answers
            if r.status == 404 and r.article in published and r.started > published[r.article]
        ]

    @property
    def ok(self):
        return not (self.failures or self.withdrawn_but_served or self.published_but_missing)

    def summary(self):
        stats = self.stats
        lines = [
            f"{stats.count} reader requests in {self.duration:.0f} s ({stats.rps:.0f}/s), "
            f"p50 {stats.latency_ms(0.5):.0f} ms, p99 {stats.latency_ms(0.99):.0f} ms; "
            f"answers {dict(sorted(stats.statuses.items()))}",
            "editors: "
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
                f"{max(r.started + r.elapsed for r in failed) - min(r.started for r in failed):.1f} s"
                if failed
                else "none"
            )
            recovered = self.recovered_after
            lines.append(
                f"PostgreSQL restart took {finished - started:.1f} s: {len(failed)} requests failed "
                f"meanwhile (failing for {window}); first good answer "
                + (f"{recovered:.2f} s after it" if recovered is not None else "never")
            )
        return "\n".join(lines)


class Editor:
    """An editor at the admin, through the login form and the workflow buttons."""

    def __init__(self, base, username, password):
        self.base = base
        origin = base.replace("http://", "https://")
        self.connection = httpload.Connection(base, {**liveserver.FORWARDED, "Origin": origin})
        self.username, self.password = username, password

    def token(self, path):
        response = self.connection.get(path)
        match = TOKEN.search(response.body) if response.status == 200 else None
        return match.group(1).decode() if match else None

    def log_in(self):
        token = self.token("/admin/login/")
        response = self.connection.post(
            "/admin/login/",
            {
                "username": self.username,
                "password": self.password,
                "csrfmiddlewaretoken": token or "",
                "next": "/admin/",
            },
        )
        if response.status != 302:
            raise RuntimeError(f"the editor could not log in: {response.status}")

    def step(self, article, action, note=""):
        """Open the article's admin page and press a workflow button.

        Return whether it worked and when the button's answer arrived.
        """
        token = self.token(f"/admin/articles/article/{article}/change/")
        if token is None:
            return False, time.monotonic()
        response = self.connection.post(
            f"/admin/articles/article/{article}/workflow/",
            {"_workflow": action, "workflow_note": note, "csrfmiddlewaretoken": token},
        )
        returned_at = time.monotonic()
        if response.status != 302:
            return False, returned_at
        # The admin answers with a redirect either way; a refusal shows as an error message.
        page = self.connection.get(response.headers.get("Location", "/admin/"))
        return page.status == 200 and b'class="error"' not in page.body, returned_at


def run(
    base,
    *,
    readers,
    duration,
    editor,
    to_publish,
    to_withdraw,
    other_paths,
    pause=0.3,
    restart=None,
    restart_at=None,
    seed=1,
    finish=False,
):
    """Run readers and one editor for duration seconds; return a Report.

    editor is (username, password). to_publish are approved web articles the
    editor publishes; to_withdraw published ones it withdraws, in turns. With
    finish, the editor goes on after the readers stop until every step is
    taken, so that how many fit in duration does not depend on the machine.
    restart, if given, is a callable run restart_at seconds in (it restarts
    the database and returns when it is back).
    """
    rng = random.Random(seed)
    hot = list(to_publish) + list(to_withdraw)
    hot_paths = [f"/articles/{pk}/" for pk in hot]
    report = Report(duration)
    deadline = time.monotonic() + duration
    lock = threading.Lock()

    def next_path():
        with lock:
            roll = rng.random()
            if roll < 0.5:
                return rng.choice(hot_paths)
            if roll < 0.7:
                return rng.choice(LIST_PAGES)
            return rng.choice(other_paths)

    def keep(path, response):
        match = re.fullmatch(r"/articles/(\d+)/", path)
        response.article = int(match.group(1)) if match else None
        response.links = set()
        if path in LIST_PAGES and response.status == 200:
            response.links = {int(pk) for pk in ARTICLE_LINK.findall(response.body)}

    def desk():
        person = Editor(base, *editor)
        person.log_in()
        publish, withdraw = list(to_publish), list(to_withdraw)

        def working():
            return finish or time.monotonic() < deadline

        while working() and (publish or withdraw):
            for kind, queue, action, note in (
                ("publish", publish, "publish_now", ""),
                ("withdraw", withdraw, "withdraw", "负载测试撤稿"),
            ):
                if queue and working():
                    article = queue[0]
                    ok, returned_at = person.step(article, action, note)
                    lost = not ok and applied(kind, article)
                    if lost:
                        returned_at = time.monotonic()
                    report.actions.append(Action(kind, article, returned_at, ok or lost, lost))
                    ok = ok or lost
                    if ok:
                        queue.pop(0)
                    time.sleep(pause)

    def database():
        time.sleep(restart_at)
        started = time.monotonic()
        restart()
        report.restart = (started, time.monotonic())

    threads = [threading.Thread(target=desk, daemon=True)]
    if restart is not None:
        threads.append(threading.Thread(target=database, daemon=True))
    for thread in threads:
        thread.start()
    stats = httpload.hammer(
        base,
        next_path,
        concurrency=readers,
        duration=duration,
        headers=liveserver.FORWARDED,
        keep=keep,
    )
    for thread in threads:
        thread.join(60)
    report.duration, report.answers = stats.wall, stats.responses
    return report
