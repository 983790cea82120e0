"""A progress bar for long management commands, written to stderr."""

import sys
import time


class Progress:
    """Report done/total with a bar, rate and time left; quiet when not a terminal."""

    def __init__(self, label, total, stream=None, width=30, every=0.2):
        self.label, self.total, self.width, self.every = label, total, width, every
        self.stream = stream or sys.stderr
        self.started = self.shown = time.monotonic()
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        if not self.tty:
            self.every = max(every, 5.0)  # a log file wants a line now and then

    def __call__(self, done, total=None):
        self.total = total if total is not None else self.total
        now = time.monotonic()
        if now - self.shown < self.every and done < self.total:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (self.total - done) / rate if rate else 0
        filled = int(self.width * done / self.total) if self.total else self.width
        bar = "█" * filled + "·" * (self.width - filled)
        line = (
            f"{self.label} [{bar}] {done}/{self.total} "
            f"{100 * done / max(self.total, 1):.0f}% {rate:,.0f}/s, {left:,.0f} s left"
        )
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
