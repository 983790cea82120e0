"""Synthetic Chinese copy for benchmarks, built from jieba's own dictionary.

Nothing is downloaded: jieba ships its dictionary with word frequencies and
parts of speech. Words are drawn by frequency, so the text has the skew of
real Chinese (a few words everywhere, most words rare), which is what makes
search benchmarks honest.
"""

import bisect
import itertools
import random
from functools import cache
from pathlib import Path

PUNCTUATION = "，，，，、；"
MIN_FREQUENCY = 50


@cache
def vocabulary():
    """Return (words, cumulative weights) of common 2–4 character Han words."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, frequency, pos = line.split(" ")
        if 2 <= len(word) <= 4 and int(frequency) >= MIN_FREQUENCY and pos[:1] in "nvad":
            if all("\u4e00" <= ch <= "\u9fff" for ch in word):
                words.append(word)
                weights.append(int(frequency) ** 0.75)  # flatten the very top a little
    return words, list(itertools.accumulate(weights))


class Writer:
    """Write headlines and paragraphs of plausible-looking Chinese copy."""

    def __init__(self, seed=0):
        self.random = random.Random(seed)
        self.words, self.cumulative = vocabulary()
        self.total = self.cumulative[-1]

    def word(self):
        return self.words[bisect.bisect(self.cumulative, self.random.random() * self.total)]

    def clause(self, low=3, high=8):
        return "".join(self.word() for _ in range(self.random.randint(low, high)))

    def sentence(self):
        clauses = [self.clause() for _ in range(self.random.randint(1, 4))]
        text = clauses[0]
        for clause in clauses[1:]:
            text += self.random.choice(PUNCTUATION) + clause
        if self.random.random() < 0.3:
            text += f"{self.random.randint(2, 2000)}{self.random.choice(['个', '万元', '家', '%'])}"
        return text + "。"

    def paragraph(self):
        return "".join(self.sentence() for _ in range(self.random.randint(2, 5)))

    def headline(self):
        return self.clause(3, 5)[:18]

    def body(self, paragraphs=None):
        count = paragraphs or self.random.randint(3, 8)
        return "\n\n".join(self.paragraph() for _ in range(count))

    def sample_words(self, length, count):
        """Return count distinct dictionary words of length, drawn by frequency."""
        chosen = set()
        while len(chosen) < count:
            word = self.word()
            if len(word) == length:
                chosen.add(word)
        return sorted(chosen)
