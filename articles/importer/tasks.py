"""The importer's background job: a page's text imported (articles/editions/imports.py)."""

from articles.editions import imports
from newsroom.background import task


@task()
def import_page_text(import_id: int) -> dict:
    """Import the kept text of import_id, once; a failure writes nothing and says why."""
    row = imports.run_import(import_id)
    if row is None:
        return {"import": import_id, "done": False}
    return {"import": import_id, "state": row.state}
