"""How the paper prints credits and datelines: 本报讯(记者 司勇 通讯员 米雪).

One home for the printed form, read by the web pages, the API and the
plain-text page exporter alike.
"""

# How each role is printed in a dateline.
PRINTED_ROLES = {
    "reporter": "记者",
    "correspondent": "通讯员",
    "intern": "实习生",
    "photographer": "摄影",
    "editor": "编辑",
    "author": "作者",
}


def group_credits(bylines):
    """Return [(printed role, [byline, …]), …]: each run of one role under its label.

    Bylines need only a ``role``; the web pages pass model Bylines and link
    each name, the plain-text page passes ParsedBylines.
    """
    groups, role = [], None
    for byline in bylines:
        if byline.role != role or not groups:
            role = byline.role
            groups.append((PRINTED_ROLES.get(role, ""), []))
        groups[-1][1].append(byline)
    return groups


def format_credits(bylines):
    """Return '记者 司勇 通讯员 米雪': names grouped under their printed role."""
    parts = []
    for label, group in group_credits(bylines):
        parts += [label, *(byline.name for byline in group)]
    return " ".join(part for part in parts if part)


def wrap_dateline(source, credits):
    """Put formatted credits into the dateline: 本报讯(…), or 本报记者 … with no source."""
    if source:
        return f"{source}({credits})" if credits else source
    return f"本报{credits}" if credits else ""


def format_dateline(source, bylines):
    """Return the dateline as the paper prints it: 本报讯(记者 司勇 通讯员 米雪)."""
    return wrap_dateline(source, format_credits(bylines))
