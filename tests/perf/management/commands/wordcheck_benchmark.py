"""Measure 审校: the time to check a 5,000-字 article against 50,000 word-list entries.

    make wordcheck-bench        (DJANGO_SETTINGS_MODULE=tests.perf.settings … wordcheck_benchmark)

Builds the automaton (articles.wordcheck.matching) from ENTRIES entries, then
checks a synthetic article of CHARS characters, its paragraphs broken by the
layout's line breaks, REPEAT times, and prints the build time and the
median and 95th percentile of one check. The figure that counts: a list of
made-up phrases of 2–6 characters, HITS of them words of the article (a
list the copy mostly does not touch, as real lists are). Then a stress case
that is not the goal: the list is jieba's dictionary, so that nearly every
word of the copy is a hit. Nothing touches the database: this is the
matching itself, which every check (the live check, each review, the
preflight) runs once per article.
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand

from articles.wordcheck.matching import Entry, Matcher, normalize
from tests.perf.synthetic import Writer, vocabulary

SEVERITIES = ("block", "warn", "fix")


def article(chars, seed=0):
    """A body of about chars characters, lines broken every 20–40 characters."""
    writer, rng = Writer(seed), random.Random(seed)
    text = ""
    while len(text) < chars:
        paragraph = writer.paragraph()
        lines, start = [], 0
        while start < len(paragraph):
            step = rng.randint(20, 40)
            lines.append(paragraph[start : start + step])
            start += step
        text += "\n".join(lines) + "\n\n"
    return text[:chars]


def dictionary_entries(count, rng):
    words, _weights = vocabulary()
    chosen = rng.sample(words, min(count, len(words)))
    while len(chosen) < count:  # more than the dictionary holds: two words joined
        chosen.append(rng.choice(words) + rng.choice(words))
    return chosen


def made_up_entries(count, rng, text="", hits=0):
    """count phrases: hits of them words of text, the rest made up of random Han characters."""
    han = [chr(code) for code in range(0x4E00, 0x9FA5)]
    words = [w for w in Writer(1).words if w in text]
    found = rng.sample(words, min(hits, len(words)))
    made = ["".join(rng.choice(han) for _ in range(rng.randint(2, 6))) for _ in range(count)]
    return found + made[: count - len(found)]


def as_entries(words):
    return [
        Entry(pk, word, normalize(word), "other", SEVERITIES[pk % 3], "替换" if pk % 3 == 2 else "")
        for pk, word in enumerate(dict.fromkeys(words), start=1)
    ]


class Command(BaseCommand):
    help = "Time one 审校 check of a 5,000-字 article against 50,000 entries (goal: under 5 ms)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=50_000)
        parser.add_argument("--chars", type=int, default=5_000)
        parser.add_argument("--repeat", type=int, default=200)
        parser.add_argument("--hits", type=int, default=20, help="list words in the article")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        text = article(options["chars"], options["seed"])
        self.stdout.write(
            f"article: {len(text)} characters, {text.count(chr(10))} line breaks; "
            f"{options['repeat']} checks each"
        )
        entries, hits = options["entries"], options["hits"]
        for name, words, goal in (
            (
                f"{hits} words of the article among made-up phrases",
                made_up_entries(entries, rng, text, hits),
                True,
            ),
            ("stress, not the goal: jieba's dictionary", dictionary_entries(entries, rng), False),
        ):
            listed = as_entries(words)
            started = time.perf_counter()
            matcher = Matcher(listed)
            built = time.perf_counter() - started
            found = len(matcher.find(text))
            timings = []
            for _ in range(options["repeat"]):
                started = time.perf_counter()
                matcher.find(text)
                timings.append(time.perf_counter() - started)
            timings.sort()
            median = statistics.median(timings) * 1000
            p95 = timings[int(0.95 * (len(timings) - 1))] * 1000
            verdict = ("under" if median < 5 else "OVER") + " the 5 ms goal" if goal else "stress"
            self.stdout.write(
                f"{name}: {len(listed)} entries, automaton built in {built * 1000:.0f} ms; "
                f"{found} hits; one check: median {median:.2f} ms, p95 {p95:.2f} ms ({verdict})"
            )
