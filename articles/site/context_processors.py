from django.utils.functional import SimpleLazyObject, lazy

from .footer import footer, paper_name


def site(request):
    """Add the paper's name and footer, read only by templates that print them.

    Both are lazy: the admin never touches them, and public pages read them
    from the cache (articles/site/footer.py), not the database.
    """
    return {"site_name": lazy(paper_name, str)(), "footer": SimpleLazyObject(footer)}
