"""Presence: who has which piece open now, from their pages' heartbeats (kept in the cache only).

An open article form sends a heartbeat every PRESENCE_BEAT seconds
(static/newsroom/presence.js); whoever sent none for PRESENCE_SECONDS has
left. The form and the desk's lists say who else is in a piece
("苏文正在编辑 · 2分钟前"). Taking a piece over is explicit (a button that
says so to the others); the stale-version check (articles/versions.py)
stays what guards a save. Nothing here is a row: a lost cache loses only
who is looking.
"""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.models import name_of

# How often an open form beats, and how long after its last beat a person counts as gone.
PRESENCE_BEAT = 30
PRESENCE_SECONDS = 90


def _key(article_id):
    return f"newsroom:presence:article:{article_id}"


def _fresh(entries, now):
    return {
        user: entry for user, entry in entries.items() if now - entry["seen"] <= PRESENCE_SECONDS
    }


def beat(article, user, *, editing, take_over=False):
    """Note that user has article open now (editing: their form may save); return who else has.

    take_over: user says they take the piece over from whoever else is in it.
    """
    now = int(time.time())
    key = _key(article.pk)
    state = cache.get(key) or {}
    entries = _fresh(state.get("people", {}), now)
    mine = entries.get(str(user.pk)) or {"since": now}
    entries[str(user.pk)] = {
        "name": name_of(user),
        "since": mine["since"],
        "seen": now,
        "editing": bool(editing),
    }
    holder = state.get("holder")
    if take_over:
        holder = {"user": str(user.pk), "name": name_of(user), "at": now}
    elif holder and holder["user"] not in entries:
        holder = None  # whoever took it over has left
    cache.set(key, {"people": entries, "holder": holder}, PRESENCE_SECONDS)
    return describe({"people": entries, "holder": holder}, user, now)


def leave(article, user):
    """Note that user closed article's page."""
    key = _key(article.pk)
    state = cache.get(key)
    if state and state.get("people", {}).pop(str(user.pk), None) is not None:
        cache.set(key, state, PRESENCE_SECONDS)


def ago(seconds):
    """How long ago, as the newsroom says it: 刚刚, 2分钟前, 1小时前."""
    minutes = seconds // 60
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return ngettext("%(count)s minute ago", "%(count)s minutes ago", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    return ngettext("%(count)s hour ago", "%(count)s hours ago", hours) % {"count": hours}


def sentence(entry, now):
    """苏文正在编辑 · 2分钟前 (the time since they opened the piece)."""
    words = _("%(name)s is editing") if entry["editing"] else _("%(name)s is reading")
    return f"{words % {'name': entry['name']}} · {ago(now - entry['since'])}"


def describe(state, user, now=None):
    """What user's page shows: the others in the piece, and who took it over (if not user)."""
    now = now or int(time.time())
    entries = _fresh((state or {}).get("people", {}), now)
    others = [
        {"name": e["name"], "editing": e["editing"], "text": sentence(e, now)}
        for uid, e in sorted(entries.items(), key=lambda item: item[1]["since"])
        if uid != str(user.pk)
    ]
    holder = (state or {}).get("holder")
    taken = ""
    if holder and holder["user"] != str(user.pk) and holder["user"] in entries:
        taken = _("%(name)s has taken this piece over (%(ago)s).") % {
            "name": holder["name"],
            "ago": ago(now - holder["at"]),
        }
    return {"others": others, "taken_over": taken}


def others_in(article, user):
    """Who else has article open now (for the form as it is first drawn)."""
    return describe(cache.get(_key(article.pk)), user)


def present_on(article_ids, user):
    """Return {article id: "苏文正在编辑 · 2分钟前; …"}: who else has each piece open (one read)."""
    now = int(time.time())
    found = cache.get_many([_key(pk) for pk in article_ids])
    result = {}
    for pk in article_ids:
        entries = _fresh((found.get(_key(pk)) or {}).get("people", {}), now)
        entries.pop(str(user.pk), None)
        if entries:
            ordered = sorted(entries.values(), key=lambda e: e["since"])
            result[pk] = "；".join(sentence(e, now) for e in ordered)
    return result
