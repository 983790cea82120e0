"""A web worker holds what readers' and the desk's pages need, not the libraries of rare tasks.

Each worker's memory is counted against the benchmark's goal (≤ 150 MiB);
the spreadsheet library (with the lxml it loads) and PDFium took 17 MiB of
it before anyone exported a ledger or sent a page PDF.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RARE = ["openpyxl", "lxml", "pypdfium2"]


def test_the_production_app_loads_without_the_libraries_of_rare_tasks():
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DEBUG="0", SECRET_KEY="x" * 50)
    script = (
        "import json, sys; import newsroom.wsgi; "
        f"print(json.dumps([m for m in {RARE!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_a_ledger_export_still_makes_a_workbook():
    from articles.ledger.export import workbook

    data = workbook([], "2026年11月稿费")
    assert data[:2] == b"PK"  # an .xlsx is a zip file
