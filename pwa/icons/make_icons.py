"""Draws the Gridline app icons (a site grid with one highlighted cell) as PNGs.

Run from the repository root: `.venv/bin/python pwa/icons/make_icons.py`.
The PNGs are committed; run this again only when the design changes.
"""
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
NAVY = (11, 79, 138)  # theme colour #0b4f8a
WHITE = (255, 255, 255)
ORANGE = (245, 166, 35)  # safety orange
SUPERSAMPLE = 4

# Plain icons fill the square with a rounded tile; maskable ones bleed to the edges
# and keep the drawing inside the central 80 % safe zone.
PLAIN_SIZES = (48, 72, 96, 144, 192, 512)
MASKABLE_SIZES = (192, 512)
APPLE_TOUCH_SIZE = 180


def draw_grid(size, inset, rounded, background=NAVY):
    """Return a size x size icon with the grid drawn inside `inset` (fraction of the side)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=background)
    else:
        draw.rectangle((0, 0, big, big), fill=background)

    left = big * inset
    side = big - 2 * left
    cell = side / 3
    line = max(SUPERSAMPLE, round(side * 0.06))
    # The highlighted cell: the one a foreman is working on today.
    x0, y0 = left + cell, left + cell
    draw.rectangle((x0, y0, x0 + cell, y0 + cell), fill=ORANGE)
    for i in range(4):
        offset = left + i * cell
        draw.rectangle((offset - line / 2, left - line / 2, offset + line / 2, left + side + line / 2), fill=WHITE)
        draw.rectangle((left - line / 2, offset - line / 2, left + side + line / 2, offset + line / 2), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    """Write every icon size the manifest and index.html name."""
    for size in PLAIN_SIZES:
        draw_grid(size, inset=0.2, rounded=True).save(HERE / f"icon-{size}.png", optimize=True)
    for size in MASKABLE_SIZES:
        draw_grid(size, inset=0.28, rounded=False).save(HERE / f"maskable-{size}.png", optimize=True)
    apple = draw_grid(APPLE_TOUCH_SIZE, inset=0.2, rounded=False)
    apple.convert("RGB").save(HERE / f"apple-touch-icon-{APPLE_TOUCH_SIZE}.png", optimize=True)


if __name__ == "__main__":
    main()
