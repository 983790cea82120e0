"""Pictures for the demo, drawn with Pillow so that nothing is downloaded."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1067)


def _sky(draw, top, bottom, height):
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=colour)


def wetland_egrets():
    """A wetland at dawn: reeds, water and white egrets in flight."""
    rng = random.Random(1125)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    horizon = 640
    _sky(draw, (244, 196, 150), (252, 232, 205), horizon)
    draw.ellipse([1130, 330, 1250, 450], fill=(255, 236, 190))
    for y in range(horizon, SIZE[1]):
        t = (y - horizon) / (SIZE[1] - horizon)
        draw.line([(0, y), (SIZE[0], y)], fill=(int(150 - 60 * t), int(160 - 50 * t), 170))
    for _ in range(900):
        x = rng.randrange(SIZE[0])
        base = rng.randrange(700, SIZE[1])
        draw.line(
            [(x, base), (x + rng.randint(-25, 25), base - rng.randint(60, 200))],
            fill=(rng.randint(90, 140), rng.randint(80, 110), 50),
            width=3,
        )
    for _ in range(60):
        x, y = rng.randrange(100, 1500), rng.randrange(120, 560)
        span = rng.randint(18, 40)
        draw.line(
            [(x - span, y - span // 3), (x, y), (x + span, y - span // 3)],
            fill=(255, 255, 255),
            width=5,
        )
    return image.filter(ImageFilter.SMOOTH)


def school_garden():
    """Rows of a school vegetable plot with radishes being pulled."""
    rng = random.Random(1124)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _sky(draw, (160, 200, 235), (220, 235, 245), 360)
    draw.rectangle([0, 360, SIZE[0], SIZE[1]], fill=(120, 86, 60))
    for row in range(8):
        y = 420 + row * 85
        draw.rectangle([0, y, SIZE[0], y + 30], fill=(96, 68, 46))
        for x in range(40, SIZE[0], 70):
            x += rng.randint(-10, 10)
            draw.ellipse([x, y - 5, x + 26, y + 30], fill=(240, 240, 235))
            draw.polygon([(x + 13, y), (x - 10, y - 60), (x + 36, y - 60)], fill=(70, 150, 60))
    for _ in range(12):
        x = rng.randrange(80, 1500)
        draw.rectangle([x, 470, x + 60, 620], fill=(rng.choice([(220, 60, 60), (40, 90, 200)])))
        draw.ellipse([x + 8, 410, x + 52, 460], fill=(245, 210, 180))
    return image.filter(ImageFilter.SMOOTH)


def jpeg_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
