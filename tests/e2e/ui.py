"""What people do with their hands in the admin: log in, pick from autocompletes, read messages."""

from playwright.sync_api import expect

PASSWORD = "secret-pass-123"  # the people fixture's; wrong ones would trip login throttling


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the admin's login form, as the person would."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#user-tools")).to_contain_text(username)


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
