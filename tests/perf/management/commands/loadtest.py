"""Readers and an editor at once against the production server; optionally restart PostgreSQL.

    make loadtest                                    # 32 readers for 30 s
    make loadtest LOADTEST_ARGS="--cut redis"        # Redis unreachable for 5 s, 10 s in
    make loadtest LOADTEST_ARGS="--cut database"     # PostgreSQL unreachable for 5 s, 10 s in
    make loadtest LOADTEST_ARGS=--restart-postgres   # restart the local cluster 10 s in

Runs gunicorn (DEBUG off, Redis) on 127.0.0.1 against the configured
database (the benchmark's, with make), creates an editor and web copy of its
own, and has locust's editor publish and withdraw that copy through the
admin every few seconds while its readers request pages
(tests/perf/loadtest.py says what is checked, and reports the share of
requests the page cache answered). Exits non-zero when a check fails.
Everything it created is removed at the end.

--cut reaches Redis or PostgreSQL through a TCP relay of its own
(tests/perf/relay.py) and cuts it for --cut-for seconds: nothing else that
uses the server notices. --restart-postgres restarts the local cluster:
every other user of that server sees it too. Run it on a machine of your own.
"""

import contextlib
import os
import random
import secrets
import shlex
import subprocess
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from articles import workflow
from articles.models import Article, Byline, Edition
from people.models import Person
from people.roles import Role
from tests.perf import benchdata, liveserver, loadtest
from tests.perf.relay import Relay
from tests.perf.synthetic import Writer

MARKER = "负载测试"


def default_restart_command():
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    return f"pg_ctlcluster --skip-systemctl-redirect {versions[-1]} main restart"


class Command(BaseCommand):
    help = "Load the production server with readers while editors publish and withdraw."

    def add_arguments(self, parser):
        parser.add_argument("--readers", type=int, default=32)
        parser.add_argument("--duration", type=float, default=30)
        parser.add_argument("--workers", type=int, help="gunicorn workers (default 2×cores+1)")
        parser.add_argument("--articles", type=int, default=40, help="to publish, and to withdraw")
        parser.add_argument(
            "--pause", type=float, default=2.0, help="seconds between the editor's steps (mean)"
        )
        parser.add_argument(
            "--restart-postgres",
            action="store_true",
            help="restart the PostgreSQL server during the load (disturbs its other users)",
        )
        parser.add_argument(
            "--cut",
            choices=["redis", "database"],
            help="make Redis or PostgreSQL unreachable for --cut-for seconds, --restart-at s in",
        )
        parser.add_argument(
            "--varnish",
            action="store_true",
            help="readers and the editor through Varnish in front, purged by the server "
            "(make perf-deps installs it): at least 95%% of readers' pages from its storage",
        )
        parser.add_argument("--cut-for", type=float, default=5)
        parser.add_argument("--restart-at", type=float, default=10, help="seconds into the load")
        parser.add_argument("--restart-command", help="default: pg_ctlcluster … main restart")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The load test runs the production path: set DATABASE_URL=postgres://…"
            )
        if not os.environ.get("REDIS_URL"):
            raise CommandError("The production server needs Redis: set REDIS_URL.")
        if options["varnish"] and (missing := liveserver.varnish_missing()):
            raise CommandError(missing)
        restart = None
        if options["restart_postgres"]:
            command = shlex.split(options["restart_command"] or default_restart_command())
            self.stderr.write(f"will run {shlex.join(command)} {options['restart_at']:g} s in")

            def restart():
                subprocess.run(command, check=True, capture_output=True)

        username, password = f"loadtest-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(16)
        try:
            to_publish, to_withdraw = self.prepare(username, password, options["articles"])
        except BaseException:
            self.clean_up(username)  # what was made before the failure
            raise
        prefix = f"loadtest-{uuid.uuid4().hex[:8]}"
        database, redis = liveserver.database_url(connection.settings_dict), os.environ["REDIS_URL"]
        relay = None
        if options["cut"] == "redis":
            relay, redis = Relay.to_url(redis)
        elif options["cut"] == "database":
            relay, database = Relay.to_url(database)
        if relay is not None:
            self.stderr.write(
                f"will cut {options['cut']} for {options['cut_for']:g} s, "
                f"{options['restart_at']:g} s in"
            )

            def restart():
                relay.cut()
                time.sleep(options["cut_for"])
                relay.restore()

        env = liveserver.production_environment(
            database=database,
            redis=redis,
            static_root=settings.VAR_DIR / "bench-static",
            key_prefix=prefix,
        )
        other_paths = self.other_paths()
        connection.close()  # the server and the restart must not wait on ours
        liveserver.collect_static(env)
        workdir = Path(settings.VAR_DIR)
        log_path = workdir / "loadtest-gunicorn.log"
        access_log = workdir / "loadtest-access.log"
        access_log.unlink(missing_ok=True)  # gunicorn appends
        env.update(
            GUNICORN_ACCESS_LOG=str(access_log),
            GUNICORN_ACCESS_LOG_FORMAT=loadtest.ACCESS_LOG_FORMAT,
        )
        restarted = []
        try:
            with contextlib.ExitStack() as running:
                log = running.enter_context(open(log_path, "w", encoding="utf-8"))
                server = liveserver.ProductionServer(env, workers=options["workers"], log=log)
                varnish = None
                if options["varnish"]:
                    varnish = liveserver.Varnish(server.port, workdir / "loadtest-varnish")
                    server.env["PURGE_URLS"] = f"{varnish.base}/"
                running.enter_context(server)
                front = server.base
                if varnish is not None:
                    front = running.enter_context(varnish).base
                self.stderr.write(
                    f"{options['readers']} readers for {options['duration']:g} s on {front}"
                )
                loadtest.warm_up(
                    front,
                    [f"/articles/{pk}/" for pk in to_publish + to_withdraw] + other_paths,
                )
                warm = len(access_log.read_text(encoding="utf-8").splitlines())
                before = varnish.lookups() if varnish is not None else (0, 0)
                if restart is not None:

                    def database():
                        time.sleep(options["restart_at"])
                        started = time.time()
                        restart()
                        restarted.append((started, time.time()))

                    threading.Thread(target=database, daemon=True).start()
                answers, actions, seconds = loadtest.run_locust(
                    front,
                    readers=options["readers"],
                    duration=options["duration"],
                    editor=(username, password),
                    to_publish=to_publish,
                    to_withdraw=to_withdraw,
                    other_paths=other_paths,
                    workdir=workdir,
                    pause=options["pause"],
                )
                if varnish is not None:
                    (hits, misses), (hits_before, misses_before) = varnish.lookups(), before
                    hits, misses = hits - hits_before, misses - misses_before
                    cache = loadtest.CacheShare(
                        "Varnish's storage", hits, hits + misses, loadtest.VARNISH_HITS
                    )
                else:
                    hits, total = loadtest.cache_share(access_log, skip=warm)
                    cache = loadtest.CacheShare("the page cache", hits, total)
            connection.close()  # the database may have been restarted under it
            done = {(a.kind, a.article) for a in actions if a.ok}
            for action in actions:
                if (
                    not action.ok
                    and (action.kind, action.article) not in done  # not tried again with success
                    and loadtest.applied(action.kind, action.article)
                ):
                    # Its answer was lost, yet it took effect: done, at the latest now.
                    action.ok, action.answer_lost, action.returned_at = True, True, time.time()
            report = loadtest.Report(
                seconds,
                answers,
                actions,
                restart=restarted[0] if restarted else None,
                cache=cache,
                outage=options["cut"] or ("database" if options["restart_postgres"] else None),
                # Without Redis every page renders: nothing may fail, even meanwhile.
                recovery_grace=0 if options["cut"] == "redis" else 5.0,
            )
        finally:
            if relay is not None:
                relay.close()
            liveserver.forget_keys(os.environ["REDIS_URL"], prefix)
            self.clean_up(username)
        self.stdout.write(report.summary())
        self.stdout.write(f"gunicorn's log: {log_path}")
        failed = not report.ok or (restart is not None and report.recovered_after is None)
        for path, pk in report.withdrawn_but_served[:10]:
            self.stderr.write(f"withdrawn article {pk} shown by {path}")
        for answer in report.failures[:10]:
            self.stderr.write(f"{answer.status or answer.error} for {answer.path}")
        if failed:
            raise CommandError("The load test failed.")
        self.stdout.write(self.style.SUCCESS("passed"))

    def prepare(self, username, password, count):
        """Create the editor, approved web copy to publish and published copy to withdraw."""
        writer = Writer(11)
        with transaction.atomic():
            user = get_user_model().objects.create_user(username, password=password, is_staff=True)
            user.groups.add(Group.objects.get(name=Role.EDITOR))
            person = Person.objects.create(name="压测编辑", slug=username, user=user)
            made = []
            for _ in range(2 * count):
                article = Article.objects.create(
                    headline=writer.headline(),
                    source=MARKER,
                    body=writer.body(),
                    status=Article.Status.APPROVED,
                    created_by=user,
                )
                Byline.objects.create(article=article, person=person)
                made.append(article)
            # Approved on the record, as 三审 would have left it: publication asks it.
            benchdata.approve_on_record(made, benchdata.reviewers())
        for article in Article.objects.filter(pk__in=[a.pk for a in made[count:]]):
            workflow.transition(article, "publish_now", user=user)
        return [a.pk for a in made[:count]], [a.pk for a in made[count:]]

    def other_paths(self):
        rng = random.Random(3)
        ids = list(Article.objects.published().values_list("pk", flat=True)[:5000])
        paths = [f"/articles/{pk}/" for pk in rng.sample(ids, min(200, len(ids)))]
        latest = Edition.objects.published().order_by("-date").first()
        if latest:
            paths += [latest.get_absolute_url(), f"{latest.get_absolute_url()}1/"]
        return paths + ["/feeds/atom/", "/search/?q=%E5%B7%A5%E4%BD%9C", "/editions/"]

    def clean_up(self, username):
        # The database may have been restarted under our connection: start anew.
        connection.close()
        Article.objects.filter(source=MARKER).delete()
        Person.objects.filter(slug=username).delete()
        get_user_model().objects.filter(username=username).delete()
