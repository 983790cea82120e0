"""Readers and one editor for `make loadtest` (tests/perf/loadtest.py runs locust on this file).

The configuration comes as JSON in the file NEWSROOM_LOADTEST names; every
request and every editor action is written down (JSON lines) for the load
test to judge once locust has stopped. Times are time.time(), from this one
process.
"""

import json
import os
import random
import re
import time

from locust import HttpUser, between, constant, events, task

CONFIG = json.loads(open(os.environ["NEWSROOM_LOADTEST"], encoding="utf-8").read())
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ARTICLE_LINK = re.compile(r'/articles/(\d+)/"')
ARTICLE_PAGE = re.compile(r"/articles/(\d+)/")
LIST_PAGES = ("/", "/feeds/rss/")
# What a TLS-ending load balancer adds; gunicorn believes it from 127.0.0.1.
FORWARDED = {"X-Forwarded-Proto": "https"}

records: list[dict] = []
rng = random.Random(CONFIG["seed"])
hot = [f"/articles/{pk}/" for pk in CONFIG["to_publish"] + CONFIG["to_withdraw"]]


@events.quitting.add_listener
def write_records(environment, **kwargs):
    with open(CONFIG["records"], "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def next_path():
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(hot)
    if roll < 0.7:
        return rng.choice(LIST_PAGES)
    return rng.choice(CONFIG["other_paths"])


class Reader(HttpUser):
    """A reader clicking from page to page without pause (32 of them make the load)."""

    wait_time = constant(0)
    weight = 1

    @task
    def read(self):
        path = next_path()
        started = time.time()
        error = ""
        with self.client.get(
            path, headers=FORWARDED, allow_redirects=False, catch_response=True, name=path
        ) as response:
            status = response.status_code or 0
            body = response.text if status == 200 else ""
            if status == 0 or status >= 500:
                error = str(response.error or status)
                response.failure(error)
            else:
                response.success()  # 404 and 410 are answers too; the load test judges them
        elapsed = time.time() - started
        match = ARTICLE_PAGE.fullmatch(path)
        links = sorted({int(pk) for pk in ARTICLE_LINK.findall(body)}) if path in LIST_PAGES else []
        records.append(
            {
                "type": "answer",
                "path": path,
                "status": status,
                "started": started,
                "elapsed": elapsed,
                "article": int(match.group(1)) if match else None,
                "links": links,
                "error": error,
            }
        )


class Editor(HttpUser):
    """The desk: publishes and withdraws web copy through the admin, every few seconds."""

    fixed_count = 1
    wait_time = between(CONFIG["pause"] * 0.5, CONFIG["pause"] * 1.5)

    def on_start(self):
        origin = self.host.replace("http://", "https://")
        self.headers = {**FORWARDED, "Origin": origin, "Referer": f"{origin}/admin/"}
        self.queue = [("publish", "publish_now", "", pk) for pk in CONFIG["to_publish"]]
        withdrawals = [("withdraw", "withdraw", "负载测试撤稿", pk) for pk in CONFIG["to_withdraw"]]
        # Alternate: publish one, withdraw one.
        self.queue = [step for pair in zip(self.queue, withdrawals, strict=False) for step in pair]
        self.csrf = None

    def log_in(self):
        """Log in through the login form; return whether it worked (tried again if not)."""
        username, password = CONFIG["editor"]
        token = self.token("/admin/login/")
        answer = self.client.post(
            "/admin/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token or "",
                "next": "/admin/",
            },
            headers=self.headers,
            allow_redirects=False,
        )
        self.keep_cookies()
        if answer.status_code != 302:
            return False  # the database may be away: the next step tries again
        # Logging in gives a new CSRF secret; one token of it serves every form.
        self.csrf = self.token("/admin/")
        return self.csrf is not None

    def keep_cookies(self):
        # The server believes it speaks https (X-Forwarded-Proto) and marks its
        # cookies Secure; this client speaks plain http to it, as the load
        # balancer in front would, so it must send them all the same.
        for cookie in self.client.cookies:
            cookie.secure = False

    def token(self, path):
        answer = self.client.get(path, headers=self.headers, name=path.split("/")[2] or path)
        self.keep_cookies()
        match = TOKEN.search(answer.text) if answer.status_code == 200 else None
        return match.group(1) if match else None

    @task
    def step(self):
        if not self.queue:
            time.sleep(1)
            return
        if self.csrf is None and not self.log_in():
            return
        kind, action, note, article = self.queue[0]
        answer = self.client.post(
            f"/admin/articles/article/{article}/workflow/",
            data={
                "_workflow": action,
                "workflow_note": note,
                "csrfmiddlewaretoken": self.csrf or "",
            },
            headers=self.headers,
            allow_redirects=False,
            name=f"workflow {kind}",
        )
        returned_at = time.time()
        ok = False
        if answer.status_code == 302:
            # The admin answers with a redirect either way (a refusal is a message
            # on the next page): check the answer where readers see it.
            page = self.client.get(
                f"/articles/{article}/",
                headers=FORWARDED,
                allow_redirects=False,
                name=f"check {kind}",
            )
            ok = page.status_code == (200 if kind == "publish" else 410)
        elif answer.status_code == 403:
            self.csrf = self.token("/admin/")  # a new token, then try again
        records.append(
            {
                "type": "action",
                "kind": kind,
                "article": article,
                "returned_at": returned_at,
                "ok": ok,
            }
        )
        if ok:
            self.queue.pop(0)
