"""A paginator for admin lists a million rows long: counts that stop early.

Django's changelist counts its rows for the pager on every load. At a
million articles that COUNT(*) reads the whole table (no index-only shortcut
with MVCC) and dominates the page. This one counts exactly while the list is
short, and past that takes PostgreSQL's planner estimate: the pager then says
about how many pages there are, which is all a pager needs.

A page past the first, or of a search, is read in two steps: the keys of the
page's rows (deep in the list, ?p=50 is OFFSET 2450: from an index alone),
then only those rows with their joins. Read in one step, PostgreSQL joins
and carries every row before the page, and every match of a search, their
text too, only to throw them away. Two queries, not one with the keys as a
subquery: an expression written in raw SQL (the search's rank) names the
outer table, and would make the subquery run once per row.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Count exactly up to exact_up_to rows; beyond, PostgreSQL's estimate (never less)."""

    exact_up_to = 10_000

    @cached_property
    def count(self):
        rows = self.object_list
        if not hasattr(rows, "query") or connections[rows.db].vendor != "postgresql":
            return super().count
        # COUNT(*) over a LIMIT: reads at most exact_up_to + 1 rows.
        bounded = rows.order_by().values("pk")[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        return max(bounded, planned_rows(rows))

    def bounds(self, number):
        """Return the offsets of the first row of page number and past its last."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top

    def page(self, number):
        number = self.validate_number(number)
        bottom, top = self.bounds(number)
        rows = self.object_list
        if not hasattr(rows, "query") or not rows.query.can_filter():
            return self._get_page(rows[bottom:top], number, self)
        if bottom == 0 and not rows.query.annotations:
            # The first page in the order of the list's columns: PostgreSQL walks
            # the order's index and joins the page's rows alone, in one step.
            return self._get_page(rows[bottom:top], number, self)
        # Past the first page (an OFFSET), or ordered by what is computed for every
        # row (a search's rank): the keys first. rows.filter(pk__in=…) keeps rows'
        # ORDER BY for the few rows that are read in full.
        keys = list(rows.values_list("pk", flat=True)[bottom:top])
        return self._get_page(rows.filter(pk__in=keys), number, self)


class KeyedPaginator(EstimatedCountPaginator):
    """Pages whose keys come, in order, from keys(bottom, top, count): a search's ranking.

    The list's own ORDER BY may sort every row to find a page (a rank over
    every match of a search); the page's few rows are read by key without
    it and put in their keys' order.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, keys):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.keys = keys

    def page(self, number):
        number = self.validate_number(number)
        keys = list(self.keys(*self.bounds(number), self.count))
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


def planned_rows(queryset):
    """Return the number of rows PostgreSQL's planner expects queryset to return."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
