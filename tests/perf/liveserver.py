"""Run the production server on the loopback for the benchmark, the load test and the tests.

The same command as `make serve` (gunicorn with newsroom/gunicorn.conf.py,
DEBUG off, whitenoise over collectstatic's output) on a free port of
127.0.0.1, against the database and Redis it is given, with a key prefix of
its own in Redis so that nothing it caches meets anyone else's keys.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# What a TLS-ending load balancer adds; gunicorn believes it from 127.0.0.1.
FORWARDED = {"X-Forwarded-Proto": "https"}


def database_url(settings_dict):
    """Return a DATABASE_URL for a Django database settings dict (the test database's too)."""
    engine = settings_dict["ENGINE"]
    if "sqlite" in engine:
        return f"sqlite:///{settings_dict['NAME']}"
    if "postgresql" not in engine:
        raise ValueError(f"no URL for {engine}")
    quote = urllib.parse.quote
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{auth}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


_TAKEN = set()


def free_port():
    """Return a free port: one of BENCH_PORTS ("8400-8419") when set, else any.

    On a machine shared with other sessions each keeps its servers to its own range.
    """
    low, _dash, high = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(low), int(high or low) + 1) if low else [0]
    for port in candidates:
        if port and port in _TAKEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = sock.getsockname()[1]
        _TAKEN.add(port)  # bound later by a server not yet started
        return port
    raise RuntimeError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def production_environment(*, database, redis, static_root, key_prefix, **extra):
    """Return the environment of a production process, built from the current one."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "GUNICORN_", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database,
        REDIS_URL=redis,
        CACHE_KEY_PREFIX=key_prefix,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def collect_static(env):
    """Run collectstatic as production does (hashed names, gzip) into env's STATIC_ROOT."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


GUNICORN_CONF = ROOT / "newsroom" / "gunicorn.conf.py"


class ProductionServer:
    """gunicorn serving the site on 127.0.0.1; use as a context manager."""

    app = "newsroom.wsgi"
    chdir = ROOT

    def __init__(self, env, *, workers=None, log=None, port=None):
        self.port = port or free_port()
        self.env = {"GUNICORN_ACCESS_LOG": "", **env, "BIND": f"127.0.0.1:{self.port}"}
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.workers = int(self.env.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
        self.log = log
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), self.app],
            cwd=self.chdir,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as one
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if self.ready() and len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on {self.base} within {timeout} s")

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                return sock.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK")
        except OSError:
            return False

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def worker_pids(self):
        """Return the pids of the master's worker processes (Linux /proc)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def memory(self):
        """Return [(pid, rss_kib, pss_kib)] of each worker; PSS counts shared pages fairly."""
        result = []
        for pid in self.worker_pids():
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            except OSError:
                continue
            fields = {line.split(":")[0]: line.split()[1] for line in rollup if ":" in line}
            result.append((pid, int(fields.get("Rss", 0)), int(fields.get("Pss", 0))))
        return result


def forget_keys(redis_url, prefix):
    """Delete what a server cached under its own key prefix, and nothing else."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{prefix}:*", f"{prefix}-sessions:*"):
        keys = list(client.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    client.close()


class FloorServer(ProductionServer):
    """The floor (a constant answer through startproject's middleware) with the same gunicorn settings."""

    app = "floor:application"

    def __init__(self, floor, **kwargs):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
        super().__init__(env, **kwargs)
        self.chdir = Path(floor).parent

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                return sock.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK")
        except OSError:
            return False


VCL = ROOT / "newsroom" / "varnish.vcl"


def varnish_missing():
    """Return why Varnish cannot run here, or None."""
    import shutil

    if shutil.which("varnishd") is None:
        return "Varnish is not installed (apt-get install varnish varnish-modules)"
    vmods = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods")
    if vmods.is_dir() and not (vmods / "libvmod_xkey.so").exists():
        return "vmod_xkey is not installed (apt-get install varnish-modules)"
    return None


def varnish_lookups(stats):
    """Return (hits, misses) from `varnishstat -1 -j`'s JSON (Varnish 6.5 on nests the counters)."""
    counters = stats.get("counters", stats)
    return counters["MAIN.cache_hit"]["value"], counters["MAIN.cache_miss"]["value"]


class Varnish:
    """varnishd with the project's VCL in front of backend_port on 127.0.0.1."""

    def __init__(self, backend_port, workdir, *, port=None, memory="64m"):
        self.port = port or free_port()
        self.workdir = Path(workdir)
        self.backend_port = backend_port
        self.memory = memory
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        self.workdir.mkdir(parents=True, exist_ok=True)
        vcl = self.workdir / "newsroom.vcl"
        vcl.write_text(
            VCL.read_text().replace('.port = "8000";', f'.port = "{self.backend_port}";')
        )
        self.process = subprocess.Popen(
            [
                "varnishd",
                "-F",  # in the foreground: stopped with this object
                "-j",
                "none",  # no privilege separation: a test's own folder, any user
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-n",
                str(self.workdir / "state"),
                "-s",
                f"malloc,{self.memory}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"varnishd did not listen on {self.base} within {timeout} s")

    def lookups(self):
        """Return (hits, misses): Varnish's lookups in its storage since it started.

        What varnishstat counts (MAIN.cache_hit, MAIN.cache_miss): requests it
        passes straight to the backend (the admin, a POST) are neither.
        """
        counted = subprocess.run(
            ["varnishstat", "-n", str(self.workdir / "state"), "-1", "-j"],
            check=True,
            capture_output=True,
            text=True,
        )
        return varnish_lookups(json.loads(counted.stdout))

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
