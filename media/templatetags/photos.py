from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(photo, sizes="100vw", css_class="", loading="lazy"):
    """Render a photo's picture for readers, sized for the page it sits in."""
    return {"photo": photo, "sizes": sizes, "css_class": css_class, "loading": loading}
