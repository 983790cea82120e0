from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy

from .footer import footer


def site(request):
    """Add the paper's name and footer, read only by templates that print them.

    Both are lazy (the admin never touches them) and share one read: public
    pages print the name several times, and each read is a trip to the cache
    (articles/site/footer.py), not the database.
    """
    settings_ = SimpleLazyObject(footer)
    name = lazy(lambda: settings_["name"] or settings.NEWSPAPER_NAME, str)
    return {"site_name": name(), "footer": settings_}
