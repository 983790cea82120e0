from django import template

register = template.Library()

# The fallback <img src> for browsers without srcset: a medium size.
FALLBACK_WIDTH = 1024


@register.inclusion_tag("includes/picture.html")
def picture(photo, sizes="100vw", css_class="", loading="lazy", alt=None):
    """Render a photo's picture for readers, sized for the page it sits in.

    `{% picture photo sizes="(min-width: 60em) 40em, 100vw" css_class="lead" loading="eager" %}`
    gives a <picture> with a WebP and a JPEG srcset of the photo's renditions,
    width and height (so the page does not jump) and the photo's alt text, or
    `alt` if given. A photo without a picture renders nothing.
    """
    context = {"sizes": sizes, "css_class": css_class, "loading": loading, "src": ""}
    if photo is None or not photo.image:
        return context
    context["alt"] = photo.alt_text if alt is None else alt
    renditions = photo.renditions()
    webp = [r for r in renditions if r.content_type == "image/webp"]
    jpeg = [r for r in renditions if r.content_type == "image/jpeg"]
    if not jpeg:
        # Stored before renditions existed: the picture itself, still upright and clean.
        return {**context, "src": photo.image.url, "width": photo.width, "height": photo.height}
    fallback = next((r for r in reversed(jpeg) if r.width <= FALLBACK_WIDTH), jpeg[0])
    return {
        **context,
        "src": fallback.url,
        "width": fallback.width,
        "height": fallback.height,
        "webp_srcset": ", ".join(f"{r.url} {r.width}w" for r in webp),
        "jpeg_srcset": ", ".join(f"{r.url} {r.width}w" for r in jpeg),
    }
