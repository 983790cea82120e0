"""Search that works on Chinese: one engine for readers and editors.

Chinese has no spaces, so a database's full-text search finds almost nothing
in raw Chinese text. Each article is therefore turned into a *token document*
when it is saved:

- every run of Han characters becomes its overlapping bigrams, in order
  (全市信访 → 全市 市信 信访), so any word of two or more characters can be
  found as the phrase of its bigrams exactly where it occurs, however jieba
  would cut the text around it;
- jieba's search-mode words of three or more characters are added (胡引平,
  冬奥会), so that a word jieba also sees in the text ranks higher;
- Latin letters and digits are lower-cased words (covid, 1251, 94.76).

The query is segmented with jieba into words; each word must occur (AND); a
word is found as its own token or as the phrase of its bigrams; a quoted
phrase, or a chunk mixing digits, Latin and Han (3-11岁, 1251工程), must occur
as written. Only tokens we made ourselves reach the database, so operators
typed by a reader (& | ! ( ) : * ' \\) are never interpreted.

On PostgreSQL the document is a tsvector (config ``simple``, headline
weighted A) under a GIN index; the newest matches are ranked by where they
name the words (headline stack, then lead) and how new they are. On SQLite the same token string is matched with LIKE: the
same hits on small data, ranked by headline and body hits, newest first.

    tokens.py  token documents: Han bigrams, jieba words, Latin words
    index.py   keeping each article's document up to date
    query.py   parsing what was typed, matching, ranking, snippets
    tags.py    tag suggestions from the copy
"""

from articles.search.index import index_article, index_articles
from articles.search.query import (
    NEWEST,
    Query,
    Ranked,
    count,
    highlight,
    matching,
    parse,
    search,
    snippet,
)

__all__ = [
    "NEWEST",
    "Query",
    "Ranked",
    "count",
    "highlight",
    "index_article",
    "index_articles",
    "matching",
    "parse",
    "search",
    "snippet",
]
