"""The newsroom's admin, by concern; importing the package registers every page.

common.py    status badges, read-only inlines, the article list's columns
filters.py   sidebar filters of the article list
copy.py      articles: bylines, photos, revisions, the workflow panel
desk.py      the desk queue
planning.py  选题 and 派稿: stories proposed, assigned, declined, filed
editions.py  editions, pages, the planner
log.py       the transition log
inbox.py     each person's notifications and whether they are e-mailed
related.py   sections, tags, people and photos, with what concerns copy
site.py      the site settings printed in the public footer
forms.py     the article form (stale-version check, corrections, tags)
diff.py      revisions compared character by character
"""

from articles.admin import copy, desk, editions, inbox, log, planning, related, site  # noqa: F401 (registers the admin pages)
