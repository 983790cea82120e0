"""What people do with their hands in the admin: log in, pick from autocompletes, read messages.

Every helper acts as a person would (a tap on a field before typing in it, a
tap on a file button and then a file picked), so that the Tally can count
clicks and page loads per task honestly.
"""

from collections import Counter
from contextlib import contextmanager

from playwright.sync_api import expect

PASSWORD = "secret-pass-123"  # the people fixture's; wrong ones would trip login throttling

# Installed in every page before its own scripts: every real pointer press is reported.
COUNT_PRESSES = """
document.addEventListener("pointerdown", (event) => {
  if (event.isTrusted) { window.__nrTally("click"); }
}, true);
"""


class Tally:
    """Clicks and page loads per task, as a person at work makes them.

    A click is any press of the pointer (on a link, a button, a field before
    typing in it, a file button, an autocomplete's option), plus the choice
    made in a native dialog or list (a file, an option); typing is not
    counted. A page load is any document loaded in any of the person's tabs.
    """

    def __init__(self):
        self.tasks = {}
        self.current = None

    def watch(self, page):
        """Count what happens in page's browser (its context: new tabs too)."""
        context = page.context
        context.expose_binding("__nrTally", lambda _source, kind: self.add(kind))
        context.add_init_script(COUNT_PRESSES)
        page.on("load", lambda _page: self.add("load"))
        context.on("page", lambda tab: tab.on("load", lambda _page: self.add("load")))
        return page

    def add(self, kind):
        if self.current is not None:
            self.tasks[self.current][kind] += 1

    @contextmanager
    def task(self, name, page):
        """Count what happens until the task is done: its last page has loaded in page."""
        self.current = name
        self.tasks.setdefault(name, Counter())
        try:
            yield self.tasks[name]
            page.wait_for_load_state("load")
        finally:
            self.current = None

    def report(self):
        return "\n".join(
            f"{name:<44} {counts['click']:>3} clicks {counts['load']:>3} page loads"
            for name, counts in self.tasks.items()
        )


def log_in(page, live_server, username, name, password=PASSWORD):
    """Log in through the admin's login form; the header then greets the person by name."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#user-tools")).to_contain_text(name)


def write(field, text):
    """Tap into a field and type (or paste) text."""
    field.click()
    field.fill(text)


def choose(page, select, label, tally=None):
    """Pick an option of a native <select>: a tap on it, a tap on the option."""
    select.click()
    select.select_option(label=label)
    if tally is not None:
        tally.add("click")


def attach(page, file_input, path, tally=None):
    """Tap a file button and pick the file in the dialog."""
    with page.expect_file_chooser() as chooser:
        file_input.click()
    chooser.value.set_files(path)
    if tally is not None:
        tally.add("click")


def open_list(page, live_server, model, label):
    """Go to the admin's home page and open a list by its name there (稿件, 期次…)."""
    page.goto(f"{live_server.url}/admin/")
    page.locator(f"tr.model-{model}").get_by_role("link", name=label, exact=True).click()


def select2_of(page, select_id):
    """The select2 box the admin draws in place of the hidden <select id=select_id>."""
    return page.locator(f"#{select_id} + .select2")


def pick(page, select_id, typed, option=None):
    """Open an autocomplete, type, and click the option offered (default: what was typed)."""
    select2_of(page, select_id).locator(".select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    page.locator(".select2-results__option", has_text=option or typed).first.click()
    expect(select2_of(page, select_id)).to_contain_text(option or typed)


def pick_many(page, select_id, typed, option=None):
    """Add one choice to a multiple autocomplete (photographers, tags)."""
    box = select2_of(page, select_id)
    field = box.locator(".select2-search__field")
    field.click()
    field.press_sequentially(typed)
    page.locator(".select2-results__option", has_text=option or typed).first.click()
    expect(box.locator(".select2-selection__choice", has_text=option or typed)).to_be_visible()


def type_new_tag(page, select_id, name):
    """Type a tag that does not exist yet and press Enter, as the help text says."""
    box = select2_of(page, select_id)
    field = box.locator(".select2-search__field")
    field.click()
    field.press_sequentially(name)
    # Wait for select2 to offer the typed tag before Enter picks the highlighted option.
    expect(page.locator(".select2-results__option--highlighted")).to_have_text(name)
    field.press("Enter")
    expect(box.locator(".select2-selection__choice", has_text=name)).to_be_visible()


def expect_message(page, text):
    """The admin's message bar (green for success, red for a refusal) says text."""
    expect(page.locator("ul.messagelist")).to_contain_text(text)


def served_html(page, url, path):
    """Save the page at url as the server sent it (for the Nu HTML checker), in page's session."""
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    path.write_bytes(response.body())
    return path
