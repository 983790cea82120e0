"""审校: the desk's word lists, copy checked against them wherever it moves, hits verified (已核实).

models (WordList, WordEntry, WordVerification), matching (normalised
characters, the Aho–Corasick automaton), lists (each process's automaton,
rebuilt when a list changes), checking (what the lists find, what blocks),
files (text and Excel), services (the write path), admin.
"""
