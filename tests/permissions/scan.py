"""Read the production code's syntax trees: who asks which rule, who spells one, who writes."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("articles", "media", "people", "newsroom")


@cache
def production_modules():
    """Return {module name: syntax tree} of every production module (migrations excluded)."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return modules
