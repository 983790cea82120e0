from django.conf import settings


def site(request):
    """Add the paper's name; no queries, so it is safe on every page, admin included."""
    return {"site_name": settings.NEWSPAPER_NAME}
