"""Every change of data goes through the write path: no production code writes a model elsewhere.

The syntax of every production module is read for the calls that write rows
(save, delete, update, create, bulk_*, get_or_create, update_or_create, and a
relation's set/add/remove/clear). Outside the write path's modules each one
must be in the table below, which says what it writes instead (a picture, a
dict, the cache); a new one fails here until it goes through the services or
is written down with its reason.
"""

import ast
import inspect

from articles import services
from tests.permissions.scan import production_modules

WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "set",
    "add",
    "remove",
    "clear",
}

# The write path: the services behind articles.services, the workflow's steps,
# and what they call to finish a change (revision, notification, search index).
WRITE_PATH = {
    "articles.copy.services",
    "articles.desk.services",
    "articles.editions.services",
    "articles.editions.imports",
    "articles.site.services",
    "articles.versions",
    "articles.desk.workflow",
    "articles.editions.publishing",
    "articles.epaper.pages",
    "articles.copy.revisions",
    "articles.copy.working",
    "articles.desk.notifications",
    "articles.desk.review",
    "articles.search.index",
    "articles.wordcheck.services",
    "articles.ledger.services",
    # The task framework's own records, not the newsroom's: workers'
    # heartbeats, work done once (first_time), jobs of a lost worker.
    "newsroom.background",
}

# (module, receiver, method): calls of those names that write no row.
NOT_A_ROW = {
    # A model writing itself: the save() the write path calls.
    ("articles.copy.models", "super()", "save"),
    ("media.models", "super()", "save"),
    ("people.models", "super()", "save"),
    # The picture field stores the cleaned file as the photo is saved (Photo.save).
    ("media.models", "self.image", "save"),
    ("media.fields", "super()", "save"),
    ("media.fields", "self.instance", "save"),
    ("media.renditions", "storage", "save"),
    # Pictures, fonts, PDFs and QR codes written to buffers.
    ("articles.demo.pictures", "image", "save"),
    ("articles.demo.typeset", "font", "save"),
    ("articles.demo.typeset", "image.convert('RGB')", "save"),
    ("articles.demo.typeset", "pdf", "save"),
    ("articles.epaper.render", "image", "save"),
    ("articles.epaper.isolation", "pdf", "save"),
    ("articles.site.qr", "segno.make(url, error='m')", "save"),
    ("media.images", "image", "save"),
    ("media.renditions", "image", "save"),
    # Dicts, sets, context variables and the cache.
    ("articles.cache", "_here", "clear"),
    ("articles.cache", "_known_keys", "clear"),
    ("articles.cache", "_reads", "set"),
    ("articles.cache", "buffer", "update"),
    ("articles.cache", "built", "update"),
    ("articles.cache", "cache", "set"),
    ("articles.cache", "collected", "update"),
    ("articles.cache", "found", "update"),
    ("articles.cache", "keys", "add"),
    ("articles.cache", "keys", "update"),
    ("articles.cache", "now", "update"),
    ("articles.cache", "sections", "add"),
    ("articles.cache", "versions", "update"),
    ("articles.copy.admin.articles", "extra_context", "update"),
    ("articles.desk.presence", "cache", "set"),  # who has a piece open: the cache only
    ("articles.epaper.locate", "owners.setdefault(shingle, set())", "add"),
    ("articles.epaper.locate", "positions", "update"),
    ("articles.epaper.isolation", "removed", "add"),
    ("articles.epaper.isolation", "result", "update"),
    ("articles.epaper.isolation", "seen", "add"),
    ("articles.importer.load", "used", "add"),
    ("articles.ledger.export", "book", "save"),
    ("articles.ledger.export", "person['pieces']", "add"),
    ("articles.ledger.statistics", "getattr(figures, name)", "add"),
    ("articles.ledger.statistics", "getattr(self, name)", "update"),
    ("articles.ledger.statistics", "person_row(person_id).months[month].photos", "add"),
    ("articles.ledger.statistics", "section_row(section_id).months[month].photos", "add"),
    ("articles.ledger.statistics", "self.chars_of", "update"),
    ("articles.importer.parse", "drafts", "remove"),
    ("articles.importer.parse", "seen", "add"),
    ("articles.search.query", "_inside", "set"),
    ("articles.site.chrome", "values", "update"),
    ("articles.site.views", "context", "update"),
    ("articles.site.views", "roles", "add"),
    ("articles.wordcheck.files", "book", "save"),
    ("articles.wordcheck.files", "names", "update"),
    ("articles.wordcheck.matching", "_TABLE", "update"),
    ("media.images", "options", "update"),
    ("newsroom.caches", "self.client", "delete"),  # Redis keys, not rows
    ("newsroom.caches", "self.client", "set"),
    ("newsroom.caches", "self.values", "clear"),
    ("newsroom.caches", "self.values", "update"),
    ("newsroom.security", "cache", "add"),  # one unlock e-mail per account per cool-off
    # The admin's doors: commit=False reads an inline's rows and writes
    # nothing; delete() is the admin's own hook that calls the service.
    ("newsroom.writepath", "formset", "save"),
    ("newsroom.writepath", "self", "delete"),
    ("newsroom.writepath", "self.extension", "delete"),
    # The demo's accounts are Django's own (auth), made as createsuperuser
    # makes them; the newsroom's records go through the write path.
    ("articles.demo", "User.objects", "get_or_create"),
    ("articles.demo", "Group.objects", "get_or_create"),
    ("articles.demo", "user", "save"),
    ("articles.demo", "user.groups", "add"),
}


def _writes_outside_the_write_path():
    found = set()
    for module, tree in production_modules().items():
        if module in WRITE_PATH:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                found.add((module, ast.unparse(node.func.value), node.func.attr))
    return found


def test_no_production_code_outside_the_write_path_writes_a_row():
    assert _writes_outside_the_write_path() - NOT_A_ROW == set()


def test_the_table_of_calls_that_write_no_row_names_only_calls_that_exist():
    assert NOT_A_ROW - _writes_outside_the_write_path() == set()


def test_the_write_path_takes_what_changes_as_values_never_as_code_to_run():
    callbacks = {
        f"{name}({parameter})"
        for name in services.__all__
        if inspect.isfunction(function := getattr(services, name))
        for parameter in inspect.signature(function).parameters
        if parameter in {"write", "write_related", "callback"}
    }
    assert callbacks == set()
