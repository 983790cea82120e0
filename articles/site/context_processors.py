from django.utils.functional import SimpleLazyObject, lazy

from articles.site.chrome import chrome

# Made once: lazy() builds a class each time it is called, which cost every
# request more than the rest of this processor.
_site_name = lazy(lambda parts: parts["name"], str)


def site(request):
    """Add the chrome of public pages (articles/site/chrome.py) and the paper's name.

    Lazy: the admin never reads them; a public page reads the chrome once,
    from the cache, and prints the name several times.
    """
    parts = SimpleLazyObject(chrome)
    return {"chrome": parts, "site_name": _site_name(parts)}
