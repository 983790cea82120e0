"""Checkers nobody here wrote: axe-core in the page, the Nu HTML checker on Java.

Both come from tests/e2e/tools (package.json, installed by `make e2e`).
"""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"

# What fails the build; minor and moderate findings are reported only.
SEVERE = {"serious", "critical"}


def _require(path):
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make e2e` (npm ci in tests/e2e/tools).")
    return path


def run_axe(page):
    """Run axe-core on the page as it stands; return its violations (axe's JSON)."""
    # Evaluated by the browser's debugging protocol, not as a <script>: a
    # Content-Security-Policy without 'unsafe-inline' does not stop it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {\n" + _require(AXE).read_text(encoding="utf-8") + "\n}")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


@dataclass(frozen=True)
class Waiver:
    """An axe finding that is not ours to fix: its rule, where (a regex on its selector), why."""

    rule: str
    where: str
    why: str

    def covers(self, rule, node):
        return rule == self.rule and any(re.search(self.where, str(t)) for t in node["target"])


# A field in a row of one of our admin's inlines (bylines, article photos,
# photo uses, pages, photo credits), which Django renders.
INLINE_FIELD = r"^#id_(bylines|article_photos|uses|pages|credits)-\d+-\w+$"

# Django's own admin markup and the select2 it ships for autocompletes. Our
# templates (the workflow panel, the planner, the photographer's desk) get no
# waiver: whatever axe finds in them is fixed.
DJANGO_ADMIN = [
    Waiver(
        "label",
        INLINE_FIELD,
        "TabularInline puts a row's fields under column headings, with no <label> of their own "
        "(django/contrib/admin/templates/admin/edit_inline/tabular.html).",
    ),
    Waiver("select-name", INLINE_FIELD, "The same, for a row's <select>s."),
    Waiver(
        "label",
        r"\.select2-search__field",
        "select2's own search box, drawn by Django's autocomplete widget, has no label.",
    ),
    Waiver(
        "aria-input-field-name",
        r"select2-selection|^#select2-|aria-labelledby=\"select2-",
        "select2 gives its combobox role=combobox/textbox without a name; the <label> names the "
        "hidden <select> it stands for.",
    ),
    Waiver(
        "list",
        r"\.select2-selection",
        "select2 mixes its search box into the <ul> of chosen items.",
    ),
]


@dataclass
class Accessibility:
    """axe findings collected along the day, reported all at once at its end."""

    artifacts: Path
    problems: list = field(default_factory=list)
    checked: list = field(default_factory=list)

    def check(self, page, name, waivers=()):
        violations = run_axe(page)
        (self.artifacts / f"axe-{name}.json").write_text(
            json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self.checked.append(name)
        for violation in violations:
            if violation["impact"] not in SEVERE:
                continue
            for node in violation["nodes"]:
                if any(waiver.covers(violation["id"], node) for waiver in waivers):
                    continue
                self.problems.append(
                    f"{name}: {violation['id']} ({violation['impact']}) {violation['help']}"
                    f" at {node['target']}: {node['failureSummary']}"
                )

    def report(self):
        return "axe-core found serious or critical problems:\n" + "\n".join(self.problems)


def run_vnu(paths):
    """Check HTML files with the Nu HTML checker; return its error messages."""
    completed = subprocess.run(
        [
            "java",
            "-jar",
            str(_require(VNU)),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            "--stdout",
            *[str(path) for path in paths],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(completed.stdout)["messages"]
    return [m for m in messages if m["type"] in {"error", "non-document-error"}]


def describe_vnu(messages):
    return "The Nu HTML checker found errors:\n" + "\n".join(
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
    )
