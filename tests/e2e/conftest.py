"""Browser tests: Debian's Chromium, driven by Playwright, against the live server.

`make e2e` runs them (and installs what they need); `make test` leaves them out.
Screenshots and the checkers' reports go to artifacts/e2e/ (git-ignored).
"""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "artifacts" / "e2e"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    # CI runs as root, where Chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    # Nothing but the live server: no update checks, no sync, no first-run pages.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What every person's browser is: a desktop screen, in Chinese, in the paper's time zone.
CONTEXT = {
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "viewport": {"width": 1280, "height": 900},
}
# A reporter out on the story: a phone 375 CSS pixels wide, touch screen.
PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder e2e, so `make test` never starts a browser."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell that it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts():
    """An empty artifacts/e2e/ folder for this run's screenshots and reports."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; Playwright never downloads a browser of its own."""
    from playwright.sync_api import expect, sync_playwright

    # As long as a step's own wait (open_browser): Playwright's 5 s default
    # for expect() failed a save that had worked, answered after 5 s on a
    # machine busy with other work. A test must not depend on its speed.
    expect.set_options(timeout=15_000)

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (or set CHROMIUM).")
    # Playwright's sync API keeps an asyncio loop on this thread, and Django
    # would take the test's own ORM calls for async code and refuse them. They
    # are plain blocking calls: nothing else runs on that loop.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class InFlight:
    """Count the live server's requests still being answered.

    A closed browser leaves behind what it had already sent (a presence beat,
    an autosave); the live server answers it on its own thread. Emptying the
    database meanwhile fails ("database table is locked") and leaves the rows
    for the next test, so teardown waits for the server to fall quiet first.
    """

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.count += 1

    def finished(self, **kwargs):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_quiet(self, settle=0.2, limit=30.0):
        """Return once nothing has been in flight for `settle` seconds.

        The settle covers a request already on the wire but not yet begun;
        `limit` only stops a hung request from hanging the run.
        """
        deadline = time.monotonic() + limit
        with self.changed:
            while time.monotonic() < deadline:
                if self.count > 0:
                    self.changed.wait(deadline - time.monotonic())
                    continue
                if not self.changed.wait_for(lambda: self.count > 0, timeout=settle):
                    return


@pytest.fixture(scope="session")
def in_flight():
    from django.core.signals import request_finished, request_started

    counter = InFlight()
    # Strong references: the receivers live as long as the session.
    request_started.connect(counter.started, weak=False)
    request_finished.connect(counter.finished, weak=False)
    yield counter
    request_started.disconnect(counter.started)
    request_finished.disconnect(counter.finished)


@pytest.fixture
def open_browser(browser, artifacts, request):
    """Return a function giving each person a browser of their own (own cookies).

    When the test fails, every page is photographed as it was left.
    """
    contexts = []

    def open_browser(phone=False):
        settings = {**CONTEXT, **(PHONE if phone else {})}
        context = browser.new_context(**settings)
        # Fail fast: a step that cannot find what it expects should not wait long.
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_browser
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts, start=1):
        if report is not None and report.failed:
            for page in context.pages:
                page.screenshot(path=artifacts / f"failed-{request.node.name}-{number}.png")
        context.close()


@pytest.fixture(autouse=True)
def _fresh_site(request):
    """Give each live-server test an empty page cache and the role groups.

    After the test, wait for the live server to finish what it was answering.

    Such tests run on a database emptied after each of them, role groups
    included, which the migrations made. (Serialized rollback cannot bring them
    back: once Playwright runs, the test's database connection is no longer
    the one that was serialized.)
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    in_flight = request.getfixturevalue("in_flight")
    from django.core.cache import cache

    from tests import roles

    cache.clear()
    roles.restore()
    yield
    # Browsers the test closed may have left requests behind (see InFlight);
    # the database is emptied after this, and must not be in use then.
    in_flight.wait_quiet()
