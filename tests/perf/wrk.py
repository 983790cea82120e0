"""Throughput with wrk (Debian's `wrk`): a C load generator that leaves the cores to the server.

The benchmark measures with it instead of a Python client, which would take
as much CPU as the server it measures and slow the floor as much as the page.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wrk calls done() once at the end; one line of JSON is easier to read back
# than its human report.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"bad_status":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    socket_errors: int
    bad_status: int  # answers that are not 2xx or 3xx
    p50_ms: float
    p99_ms: float

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self):
        return self.socket_errors + self.bad_status


def missing():
    """Return why wrk cannot run here, or None."""
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install wrk)"
    return None


# Every request a different path (a search for a word nobody asked yet, so no
# cache answers it): each thread walks its own share of the list.
PATHS = """
local paths = {%s}
local threads = 0
setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end
init = function(args)
  step = 0
end
request = function()
  step = step + 1
  local index = (first * math.floor(#paths / %d) + step) %% #paths + 1
  return wrk.format(nil, paths[index])
end
"""


def lua_string(text):
    return (
        '"'
        + "".join(ch if ch.isalnum() or ch in "/?=&%-_." else f"\\{ord(ch)}" for ch in text)
        + '"'
    )


def run(url, *, threads=2, connections=16, seconds=8, headers=None, timeout=10, paths=None):
    """Load url for seconds with wrk; return a Result.

    paths: ASCII paths (percent-encoded) to request in turn instead of url's own.
    """
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "report.lua"
        lua = REPORT
        if paths:
            lua = PATHS % (", ".join(map(lua_string, paths)), threads) + lua
        script.write_text(lua)
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={timeout}s",
            "-s",
            str(script),
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        socket_errors=data["socket_errors"],
        bad_status=data["bad_status"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )
