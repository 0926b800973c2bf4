"""The imperceptible image mark: a faint tiled pattern of ±AMPLITUDE grey levels, in chips of
CHIP pixels, that survives printing, photographing, noise, blur, rotation, scaling and JPEG.

The tile is GRID x GRID chips. Half of the chips (a checkerboard) carry a *pilot* pattern keyed
by the organisation's secret, the same on every page; the other half carry the *payload*, a
pattern keyed per set and per recipient. Detection needs no original:

1. A high-pass residual of the photo, with text and edges masked out.
2. Its autocorrelation peaks on the lattice of the tile repeats, whatever the rotation and scale
   of the photo: the two shortest lattice vectors give the geometry.
3. Every pixel is folded into one canonical tile through that lattice (thousands of repeats
   averaged: the noise falls away), and the pilot, correlated over all shifts and the eight
   turns and flips, gives the alignment.
4. The aligned payload chips are correlated with every candidate recipient's pattern at once (a
   matrix product); a correlation far above chance names the recipient.

numpy and Pillow are imported inside the functions: web processes that never render or trace
an image never load them."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from .document import Document
from .keyed import KeyedStream

if TYPE_CHECKING:
    from .canaryset import CanarySet
    from .trace import Match

CHIP = 6
GRID = 24
PERIOD = CHIP * GRID
BIN = 2  # canonical tile pixels per fold bin
AMPLITUDE = 4.0
PAPER = 246  # a light grey paper, so that the mark can go both ways without clipping
INK = 25
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 1240, 1754, 110  # A4 at 150 dpi
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
# Detection thresholds: the pilot peak and a candidate's correlation, in standard deviations.
PILOT_Z = 6.0
CANDIDATE_Z = 5.0
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def _pilot_chips() -> Any:
    import numpy as np

    u, v = np.meshgrid(np.arange(GRID), np.arange(GRID), indexing="ij")
    return (u + v) % 2 == 0


def _signs(key: bytes, label: str, n: int) -> Any:
    import numpy as np

    return np.array(KeyedStream(key, label).signs(n), dtype=np.float32)


def tile(pilot_key: bytes, image_key: bytes, index: int) -> Any:
    """Recipient `index`'s tile, PERIOD x PERIOD values of +1 or -1 (rows are y)."""
    import numpy as np

    pilot = _pilot_chips()
    chips = np.zeros((GRID, GRID), dtype=np.float32)
    chips[pilot] = _signs(pilot_key, "pilot", int(pilot.sum()))
    chips[~pilot] = _signs(image_key, f"payload:{index}", int((~pilot).sum()))
    return np.kron(chips, np.ones((CHIP, CHIP), dtype=np.float32))


def payload_patterns(cs: CanarySet) -> Any:
    """Every recipient's payload chips, one row each (recipients x payload chips)."""
    import numpy as np

    n = int((~_pilot_chips()).sum())
    return np.stack([_signs(cs.image_key, f"payload:{r}", n) for r in range(cs.recipients)])


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _wrap(text: str, font: Any, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]


def render(doc: Document) -> Any:
    """The document as a greyscale page (PIL image), A4 width, as tall as it needs."""
    from PIL import Image, ImageDraw

    title_font, heading_font, body_font = _font(40), _font(30), _font(25)
    width = PAGE_WIDTH - 2 * MARGIN
    rows: list[tuple[str, Any, int]] = []  # text, font, space before
    for line in _wrap(doc.title, title_font, width):
        rows.append((line, title_font, 0))
    for section in doc.sections:
        rows.append((section.heading, heading_font, 28))
        for line in section.lines:
            bullet = "\u2022 " if section.kind == "list" else ""
            for k, part in enumerate(_wrap(bullet + line, body_font, width)):
                rows.append(
                    ((" " * 3 if k and bullet else "") + part, body_font, 8 if k == 0 else 0)
                )
    height = MARGIN
    for _text, font, before in rows:
        height += before + int(font.size * 1.35)
    page = Image.new("L", (PAGE_WIDTH, max(PAGE_HEIGHT, height + MARGIN)), PAPER)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for text, font, before in rows:
        y += before
        draw.text((MARGIN, y), text, fill=INK, font=font)
        y += int(font.size * 1.35)
    return page


def _apply_tile(array: Any, pattern: Any, amplitude: Any) -> Any:
    import numpy as np

    h, w = array.shape[:2]
    reps = (math.ceil(h / PERIOD), math.ceil(w / PERIOD))
    tiled = np.tile(pattern, reps)[:h, :w]
    if array.ndim == 3:
        tiled = tiled[:, :, None]
        if not np.isscalar(amplitude):
            amplitude = amplitude[:, :, None]
    return np.clip(np.rint(array.astype(np.float32) + amplitude * tiled), 0, 255).astype(np.uint8)


def page_png(doc: Document, cs: CanarySet, index: int) -> bytes:
    import numpy as np
    from PIL import Image

    page = np.asarray(render(doc))
    marked = _apply_tile(page, tile(cs.pilot_key, cs.image_key, index), AMPLITUDE)
    out = io.BytesIO()
    Image.fromarray(marked, mode="L").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _open(image_bytes: bytes) -> Any:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ValueError("not an image this engine can read") from exc
    return ImageOps.exif_transpose(image)


def mark_image(image_bytes: bytes, cs: CanarySet, index: int) -> bytes:
    """A photo with recipient `index`'s mark, stronger where the photo is busy (where it hides
    best), re-encoded without metadata: JPEG stays JPEG (quality 95), anything else is PNG."""
    import numpy as np
    from PIL import Image, ImageFilter

    image = _open(image_bytes)
    fmt = "JPEG" if image.format == "JPEG" else "PNG"
    rgb = image.convert("RGB")
    grey = rgb.convert("L")
    busy = np.asarray(
        grey.filter(ImageFilter.FIND_EDGES).filter(ImageFilter.BoxBlur(4)), dtype=np.float32
    )
    amplitude = AMPLITUDE * (1.0 + np.clip(busy / 16.0, 0.0, 1.5))
    marked = _apply_tile(np.asarray(rgb), tile(cs.pilot_key, cs.image_key, index), amplitude)
    out = io.BytesIO()
    save: dict[str, Any] = {"quality": 95} if fmt == "JPEG" else {"optimize": True}
    Image.fromarray(marked, mode="RGB").save(out, format=fmt, **save)
    return out.getvalue()


# ---- detection -------------------------------------------------------------------------------


def _box_blur(a: Any, radius: int) -> Any:
    import numpy as np

    k = 2 * radius + 1
    padded = np.pad(a, radius + 1, mode="reflect")
    c = padded.cumsum(0).cumsum(1)
    s = c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]
    return s[: a.shape[0], : a.shape[1]] / (k * k)


def residual(image: Any) -> Any:
    """The high-pass residual of a greyscale float image with strong structure (text, edges)
    zeroed, so that what remains is mostly the mark and noise."""
    import numpy as np

    r = image - _box_blur(image, 5)
    strong = np.abs(r) > 14
    # Grow the strong pixels by a few pixels: the halo of a letter is not mark either.
    grown = _box_blur(strong.astype(np.float32), 3) > 0
    r[grown] = 0.0
    return r


def _acf(r: Any) -> Any:
    import numpy as np

    size = min(1024, 1 << int(math.log2(min(r.shape))))
    y0, x0 = (r.shape[0] - size) // 2, (r.shape[1] - size) // 2
    crop = r[y0 : y0 + size, x0 : x0 + size]
    crop = crop - crop.mean()
    spectrum = np.fft.rfft2(crop)
    acf = np.fft.irfft2(np.abs(spectrum) ** 2, s=crop.shape)
    acf = np.fft.fftshift(acf)
    # Undo the falling overlap of longer lags so that lattice peaks compare fairly.
    lag = np.arange(size) - size // 2
    overlap = np.outer(size - np.abs(lag), size - np.abs(lag)).astype(np.float64)
    return acf / np.maximum(overlap, 1.0), size // 2


def _peak(acf: Any, centre: int, mask: Any, radius: Any = None) -> tuple[float, float, float]:
    """The highest value of `acf` under `mask` (or, given `radius`, the shortest local maximum
    at least half as high: every lattice point peaks, and the basis is the shortest), its lag
    (x, y) refined to a fraction of a pixel."""
    import numpy as np

    masked = np.where(mask, acf, -np.inf)
    y, x = np.unravel_index(int(np.argmax(masked)), acf.shape)
    if radius is not None:
        top = masked[y, x]
        local = masked >= 0.5 * top
        for dy_, dx_ in ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)):
            local &= masked >= np.roll(masked, (dy_, dx_), axis=(0, 1))
        ys, xs = np.nonzero(local)
        k = int(np.argmin(radius[ys, xs]))
        y, x = ys[k], xs[k]
    value = float(acf[y, x])
    dx = dy = 0.0
    if 0 < x < acf.shape[1] - 1 and 0 < y < acf.shape[0] - 1:
        w, c, e = acf[y, x - 1], acf[y, x], acf[y, x + 1]
        dx = 0.5 * (w - e) / (w - 2 * c + e) if (w - 2 * c + e) < 0 else 0.0
        u, d = acf[y - 1, x], acf[y + 1, x]
        dy = 0.5 * (u - d) / (u - 2 * c + d) if (u - 2 * c + d) < 0 else 0.0
    return x - centre + dx, y - centre + dy, value


def lattice(r: Any) -> tuple[Any, Any] | None:
    """The two shortest lattice vectors of the tile repeats in residual `r` (pixels, x then y)."""
    import numpy as np

    acf, centre = _acf(r)
    size = acf.shape[0]
    lag = np.arange(size) - centre
    lx, ly = np.meshgrid(lag, lag)
    radius = np.hypot(lx, ly)
    angle = np.arctan2(ly, lx)
    ring = (radius > PERIOD * 0.35) & (radius < min(PERIOD * 2.6, centre - 8))
    half = ring & ((ly > 0) | ((ly == 0) & (lx > 0)))
    ax, ay, _ = _peak(acf, centre, half, radius)
    a_angle = math.atan2(ay, ax)
    turn = np.abs(((angle - a_angle) % math.pi) - math.pi / 2)
    bx, by, _ = _peak(acf, centre, half & (turn < math.radians(30)), radius)
    a, b = np.array([ax, ay]), np.array([bx, by])
    # Refine each vector from its multiples, which sit farther out and pin it down more finely.
    refined = []
    for vec in (a, b):
        num, den = vec.copy(), 1.0
        for k in (2, 3, 4):
            target = vec * k
            if np.hypot(*target) > centre - 8:
                break
            near = np.hypot(lx - target[0], ly - target[1]) < max(3.0, 0.04 * np.hypot(*target))
            px, py, _ = _peak(acf, centre, near)
            num, den = num + k * np.array([px, py]), den + k * k
        refined.append(num / den)
    a, b = refined
    if abs(a[0] * b[1] - a[1] * b[0]) < (PERIOD * 0.3) ** 2:
        return None
    return a, b


def fold(r: Any, a: Any, b: Any) -> Any:
    """Residual `r` folded into one canonical tile of (PERIOD // BIN)^2 bins through the lattice
    (a, b): the mean of every pixel that falls in each bin."""
    import numpy as np

    h, w = r.shape
    bins = PERIOD // BIN
    basis = np.array([[a[0], b[0]], [a[1], b[1]]], dtype=np.float64)
    inverse = np.linalg.inv(basis)
    ys, xs = np.nonzero(r)
    values = r[ys, xs]
    uv = inverse @ np.vstack([xs.astype(np.float64), ys.astype(np.float64)])
    u = np.floor((uv[0] % 1.0) * bins).astype(np.int64) % bins
    v = np.floor((uv[1] % 1.0) * bins).astype(np.int64) % bins
    index = v * bins + u  # rows follow b, columns follow a
    total = np.bincount(index, weights=values, minlength=bins * bins)
    count = np.bincount(index, minlength=bins * bins)
    return (total / np.maximum(count, 1)).reshape(bins, bins)


def _align(folded: Any, pilot_key: bytes) -> tuple[Any, float]:
    """The folded tile turned, flipped and shifted to best fit the pilot, and how far above
    chance that fit is (in standard deviations)."""
    import numpy as np

    per = CHIP // BIN
    pilot = _pilot_chips()
    chips = np.zeros((GRID, GRID), dtype=np.float64)
    chips[pilot] = _signs(pilot_key, "pilot", int(pilot.sum()))
    reference = np.fft.fft2(np.kron(chips, np.ones((per, per))))
    best, best_z = folded, -math.inf
    for flip in (False, True):
        base = folded.T if flip else folded
        for turn in range(4):
            candidate = np.rot90(base, turn)
            corr = np.real(np.fft.ifft2(np.fft.fft2(candidate) * np.conj(reference)))
            peak = np.unravel_index(int(np.argmax(corr)), corr.shape)
            z = (corr[peak] - corr.mean()) / (corr.std() + 1e-12)
            if z > best_z:
                best_z = float(z)
                best = np.roll(candidate, (-int(peak[0]), -int(peak[1])), axis=(0, 1))
    return best, best_z


def payload(aligned: Any) -> Any:
    """The payload chips of an aligned folded tile, centred and scaled to unit variance."""
    per = CHIP // BIN
    chips = aligned.reshape(GRID, per, GRID, per).mean(axis=(1, 3))
    values = chips[~_pilot_chips()]
    values = values - values.mean()
    return values / (values.std() + 1e-12)


def _greyscale(image_bytes: bytes) -> Any:
    import numpy as np

    image = _open(image_bytes).convert("L")
    longest = max(image.size)
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        image = image.resize((round(image.width * factor), round(image.height * factor)))
    return np.asarray(image, dtype=np.float64)


def detect(image_bytes: bytes, sets: list[CanarySet]) -> list[Match]:
    """The recipients whose mark the image carries, with their correlation as the score."""
    import numpy as np

    from .trace import Match

    if not sets:
        return []
    image = _greyscale(image_bytes)
    if min(image.shape) < PERIOD * 2:
        return []
    r = residual(image)
    found = lattice(r)
    if found is None:
        return []
    folded = fold(r, *found)
    matches: list[Match] = []
    by_pilot: dict[bytes, list[CanarySet]] = {}
    for cs in sets:
        by_pilot.setdefault(cs.pilot_key, []).append(cs)
    for pilot_key, group in by_pilot.items():
        aligned, pilot_z = _align(folded, pilot_key)
        if pilot_z < PILOT_Z:
            continue
        y = payload(aligned)
        n = len(y)
        for cs in group:
            correlations = cs.image_patterns @ y / n
            for r_index in np.nonzero(correlations * math.sqrt(n) > CANDIDATE_Z)[0]:
                corr = float(correlations[r_index])
                matches.append(
                    Match(
                        cs.set_id,
                        int(r_index),
                        round(min(1.0, corr), 6),
                        [f"image mark (correlation {corr:.2f}, pilot {pilot_z:.0f}\u03c3)"],
                    )
                )
    return matches
