"""Settings for the benchmark and load-test commands: the real settings plus this tooling.

The tooling is not part of the paper's production packages; `make bench` and
`make loadtest` run manage.py with these settings to reach its commands.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.perf"]

# The benchmark's editions are built without page PDFs (drawing them is
# `make bench-pdf`'s subject): signing them off is a web-only paper's.
EPAPER = False
