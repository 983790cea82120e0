"""The layout holds: newsroom imports no app, apps depend one way, no concern uses another's private names.

Read from the production modules' syntax (tests/permissions/scan.py).
"""

import ast

from tests.permissions.scan import production_modules

APPS = ("articles", "media", "people")
# Who may import whom: articles → media → people; every app may use newsroom.
MAY_IMPORT = {
    "newsroom": set(),
    "people": {"newsroom"},
    "media": {"newsroom", "people"},
    "articles": {"newsroom", "people", "media"},
}


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name


def package_of(module):
    return module.split(".")[0]


def concern_of(module):
    """articles.copy.services → articles.copy; articles.models → articles (the app's doors)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "articles" and len(parts) > 2 else parts[0]


def test_newsroom_imports_no_app_and_apps_depend_one_way():
    wrong = set()
    for module, tree in production_modules().items():
        here = package_of(module)
        for target, _name in imported_modules(tree):
            there = package_of(target)
            if there in MAY_IMPORT and there != here and there not in MAY_IMPORT[here]:
                wrong.add(f"{module} imports {target}")
    assert wrong == set()


def test_no_concern_imports_the_private_names_of_another():
    wrong = set()
    for module, tree in production_modules().items():
        for target, name in imported_modules(tree):
            if (
                name
                and name.startswith("_")
                and package_of(target) in ("articles", "newsroom", "media", "people")
                and concern_of(target) != concern_of(module)
            ):
                wrong.add(f"{module} imports {target}.{name}")
    assert wrong == set()
