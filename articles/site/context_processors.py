from django.utils.functional import SimpleLazyObject, lazy

from articles.site.chrome import chrome


def site(request):
    """Add the chrome of public pages (articles/site/chrome.py) and the paper's name.

    Lazy: the admin never reads them; a public page reads the chrome once,
    from the cache, and prints the name several times.
    """
    parts = SimpleLazyObject(chrome)
    return {"chrome": parts, "site_name": lazy(lambda: parts["name"], str)()}
