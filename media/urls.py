import re

from django.conf import settings
from django.urls import re_path

from media import views

# Uploaded pictures, always through the view that checks who may see them
# (views.serve), whoever sends the bytes.
urlpatterns = [
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.strip('/'))}/(?P<path>.+)$", views.serve, name="media"
    )
]
