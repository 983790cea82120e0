"""发稿统计 and 稿费: each person's and section's month from the workflow's record, and its fees.

models (FeeRules, KindRate, FeeMonth, FeeLine, FeeAdjustment), statistics,
fees (a month's lines, what a change after the lock carries), charts (SVG),
export (Excel), services (the write path), admin.
"""
