"""The imperceptible image mark: a faint tiled pattern of ±AMPLITUDE grey levels, in chips of
CHIP pixels, that survives printing and photographing (with a slight tilt of the camera), noise, blur, rotation, scaling and JPEG.

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
# ±1.5 grey levels: on screen, at full size, a barely visible paper grain; printed, nothing. The
# photo trials (tests/sharing/canary) still find it with a correlation near 0.9.
AMPLITUDE = 1.5
PAPER = 246  # a light grey paper, so that the mark can go both ways without clipping
INK = 25
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 1240, 1754, 110  # A4 at 150 dpi
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
FOLD_PIXELS = 700_000
# Detection thresholds: the pilot peak and a candidate's correlation, in standard deviations.
PILOT_Z = 6.0
CLEAR_PILOT_Z = 12.0
CANDIDATE_Z = 5.0
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def _pilot_chips() -> Any:
    import numpy as np

    u, v = np.meshgrid(np.arange(GRID), np.arange(GRID), indexing="ij")
    return (u + v) % 2 == 0


def _signs(key: bytes, label: str, rows: int, n: int) -> Any:
    """rows x n keyed values of +1 or -1 from one stream (row after row, least significant bit
    of each byte first)."""
    import numpy as np

    per_row = (n + 7) // 8
    raw = np.frombuffer(KeyedStream(key, label).read(per_row * rows), dtype=np.uint8)
    bits = np.unpackbits(raw.reshape(rows, per_row), axis=1, bitorder="little")[:, :n]
    return bits.astype(np.float32) * 2 - 1


def tile(pilot_key: bytes, image_key: bytes, index: int) -> Any:
    """Recipient `index`'s tile, PERIOD x PERIOD values of +1 or -1 (rows are y)."""
    import numpy as np

    pilot = _pilot_chips()
    chips = np.zeros((GRID, GRID), dtype=np.float32)
    chips[pilot] = _signs(pilot_key, "pilot", 1, int(pilot.sum()))[0]
    chips[~pilot] = _signs(image_key, "payload", index + 1, int((~pilot).sum()))[index]
    return np.kron(chips, np.ones((CHIP, CHIP), dtype=np.float32))


def payload_patterns(cs: CanarySet) -> Any:
    """Every recipient's payload chips, one row each (recipients x payload chips)."""
    return _signs(cs.image_key, "payload", cs.recipients, int((~_pilot_chips()).sum()))


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


def _rows(doc: Document) -> list[tuple[str, Any, int, int]]:
    """The document laid out: (text, font, space before, line height) per printed line."""
    title_font, heading_font, body_font = _font(40), _font(30), _font(25)
    width = PAGE_WIDTH - 2 * MARGIN
    rows: list[tuple[str, Any, int, int]] = []
    for line in _wrap(doc.title, title_font, width):
        rows.append((line, title_font, 0, int(title_font.size * 1.35)))
    for section in doc.sections:
        rows.append((section.heading, heading_font, 28, int(heading_font.size * 1.35)))
        for line in section.lines:
            bullet = "\u2022 " if section.kind == "list" else ""
            for k, part in enumerate(_wrap(bullet + line, body_font, width)):
                text = ("   " if k and bullet else "") + part
                rows.append((text, body_font, 8 if k == 0 else 0, int(body_font.size * 1.35)))
    return rows


def _pages(doc: Document) -> list[list[tuple[str, Any, int]]]:
    """The rows split into A4 pages: (text, font, y) per line."""
    pages: list[list[tuple[str, Any, int]]] = [[]]
    y = MARGIN
    for text, font, before, height in _rows(doc):
        if pages[-1] and y + before + height > PAGE_HEIGHT - MARGIN:
            pages.append([])
            y, before = MARGIN, 0
        pages[-1].append((text, font, y + before))
        y += before + height
    return pages


def page_count(doc: Document) -> int:
    return len(_pages(doc))


def render(doc: Document, page: int | None = None) -> Any:
    """The document as a greyscale PIL image of A4 width: page `page` (from 0) of its A4 pages,
    or, by default, the pages one below the other in one image."""
    from PIL import Image, ImageDraw

    pages = _pages(doc)
    if page is not None and not 0 <= page < len(pages):
        raise IndexError(f"page {page} outside 0..{len(pages) - 1}")
    chosen = [pages[page]] if page is not None else pages
    image = Image.new("L", (PAGE_WIDTH, PAGE_HEIGHT * len(chosen)), PAPER)
    draw = ImageDraw.Draw(image)
    for n, rows in enumerate(chosen):
        for text, font, y in rows:
            draw.text((MARGIN, n * PAGE_HEIGHT + y), text, fill=INK, font=font)
    return image


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


def page_png(doc: Document, cs: CanarySet, index: int, page: int | None = None) -> bytes:
    import numpy as np
    from PIL import Image

    pixels = np.asarray(render(doc, page))
    marked = _apply_tile(pixels, tile(cs.pilot_key, cs.image_key, index), AMPLITUDE)
    out = io.BytesIO()
    Image.fromarray(marked, mode="L").save(out, format="PNG")
    return out.getvalue()


def _open(image_bytes: bytes) -> tuple[Any, str | None]:
    """The image upright (EXIF orientation applied) and the format it came in."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ValueError("not an image this engine can read") from exc
    return ImageOps.exif_transpose(image), image.format


def mark_image(image_bytes: bytes, cs: CanarySet, index: int) -> bytes:
    """A photo with recipient `index`'s mark, stronger where the photo is busy (where it hides
    best), re-encoded without metadata: JPEG stays JPEG (quality 95), anything else is PNG."""
    import numpy as np
    from PIL import Image, ImageFilter

    image, source_format = _open(image_bytes)
    fmt = "JPEG" if source_format == "JPEG" else "PNG"
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
    """The high-pass residual (float32 array) of a greyscale PIL image, with strong structure
    (text, edges) zeroed, so that what remains is mostly the mark and noise."""
    import numpy as np
    from PIL import Image, ImageFilter

    r = np.asarray(image, dtype=np.float32) - np.asarray(
        image.filter(ImageFilter.BoxBlur(5)), dtype=np.float32
    )
    strong = Image.fromarray((np.abs(r) > 14).astype(np.uint8) * 255, mode="L")
    # Grow the strong pixels by a few pixels: the halo of a letter is not mark either.
    grown = np.asarray(strong.filter(ImageFilter.BoxBlur(3))) > 0
    r[grown] = 0.0
    return r


def _acf(r: Any, whiten: bool = True) -> Any:
    import numpy as np

    size = min(1024, min(r.shape)) // 2 * 2
    y0, x0 = (r.shape[0] - size) // 2, (r.shape[1] - size) // 2
    crop = r[y0 : y0 + size, x0 : x0 + size]
    crop = crop - crop.mean()
    power = np.abs(np.fft.rfft2(crop)) ** 2
    # Whiten the spectrum: the tile repeats put their power on sharp lines, text and paper
    # texture spread theirs, so dividing by the local average power leaves the lines standing.
    if whiten:
        power = power / (_box_blur(power, 4) + 1e-9)
    acf = np.fft.irfft2(power, s=crop.shape)
    acf = np.fft.fftshift(acf)
    # Undo the falling overlap of longer lags so that lattice peaks compare fairly.
    lag = np.arange(size) - size // 2
    overlap = np.outer(size - np.abs(lag), size - np.abs(lag)).astype(np.float64)
    return acf / np.maximum(overlap, 1.0), size // 2


def _peak(acf: Any, centre: int, mask: Any) -> tuple[float, float, float]:
    """The highest value of `acf` under `mask`, its lag (x, y) refined to a fraction of a pixel."""
    import numpy as np

    masked = np.where(mask, acf, -np.inf)
    y, x = np.unravel_index(int(np.argmax(masked)), acf.shape)
    value = float(acf[y, x])
    dx = dy = 0.0
    if 0 < x < acf.shape[1] - 1 and 0 < y < acf.shape[0] - 1:
        w, c, e = acf[y, x - 1], acf[y, x], acf[y, x + 1]
        dx = 0.5 * (w - e) / (w - 2 * c + e) if (w - 2 * c + e) < 0 else 0.0
        n, s = acf[y - 1, x], acf[y + 1, x]
        dy = 0.5 * (n - s) / (n - 2 * c + s) if (n - 2 * c + s) < 0 else 0.0
    return x - centre + dx, y - centre + dy, value


def _local_maxima(acf: Any, mask: Any, count: int) -> list[tuple[int, int]]:
    import numpy as np

    masked = np.where(mask, acf, -np.inf)
    local = np.isfinite(masked)
    for dy, dx in ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)):
        local &= masked >= np.roll(masked, (dy, dx), axis=(0, 1))
    ys, xs = np.nonzero(local)
    order = np.argsort(masked[ys, xs])[::-1][:count]
    return [(int(xs[k]), int(ys[k])) for k in order]


def lattice(r: Any, *, whiten: bool = True) -> tuple[Any, Any] | None:
    """Two short lattice vectors of the tile repeats in residual `r` (pixels, x then y), or None.

    Candidate pairs of autocorrelation peaks (about square to each other, about as long) are
    scored by the autocorrelation at the lattice points they generate; a chance peak of text or
    texture does not sit on a whole lattice."""
    import numpy as np

    acf, centre = _acf(r, whiten)
    size = acf.shape[0]
    lag = np.arange(size) - centre
    lx, ly = np.meshgrid(lag, lag)
    radius = np.hypot(lx, ly)
    limit = centre - 8
    ring = (radius > PERIOD * 0.5) & (radius < min(PERIOD * 2.2, limit * 0.6))
    half = ring & ((ly > 0) | ((ly == 0) & (lx > 0)))
    peaks = _local_maxima(acf, half, 16)

    def at(v: Any) -> float:
        x, y = round(v[0]) + centre, round(v[1]) + centre
        if not (1 <= x < size - 1 and 1 <= y < size - 1):
            return 0.0
        return float(acf[y - 1 : y + 2, x - 1 : x + 2].max())

    noise = float(acf[ring].std()) + 1e-12
    best: tuple[float, float, Any, Any] | None = None
    for i, (ax, ay) in enumerate(peaks):
        for bx, by in peaks[i + 1 :]:
            a, b = np.array([ax - centre, ay - centre]), np.array([bx - centre, by - centre])
            la, lb = np.hypot(*a), np.hypot(*b)
            cosine = abs(a @ b) / (la * lb)
            if cosine > 0.34 or not 0.85 < la / lb < 1.18:
                continue
            points = [a, b, a + b, a - b, 2 * a, 2 * b, 2 * a + b, a + 2 * b, 2 * a - b, a - 2 * b]
            inside = [v for v in points if np.hypot(*v) < limit]
            score = sum(at(v) for v in inside) / len(inside) / noise
            if best is None or score > best[0] * 1.25 or (score > best[0] * 0.8 and la < best[1]):
                best = (score, la, a, b)
    if best is None or best[0] < 3.0:
        return None
    # Refine each vector from its multiples, which sit farther out and pin it down more finely.
    refined = []
    for vec in (best[2], best[3]):
        num, den = np.zeros(2), 0.0
        for k in (1, 2, 3, 4):
            target = vec * k
            if np.hypot(*target) > limit:
                break
            reach = max(3, math.ceil(0.04 * np.hypot(*target)))
            x0, y0 = round(target[0]) + centre - reach, round(target[1]) + centre - reach
            if min(x0, y0) < 0 or max(x0, y0) + 2 * reach + 1 > acf.shape[0]:
                break
            window = acf[y0 : y0 + 2 * reach + 1, x0 : x0 + 2 * reach + 1]
            px, py, _ = _peak(window, 0, np.ones(window.shape, dtype=bool))
            px, py = px + x0 - centre, py + y0 - centre
            num, den = num + k * np.array([px, py]), den + k * k
        refined.append(num / den if den else vec)
    return refined[0], refined[1]


def fold(r: Any, a: Any, b: Any) -> Any:
    """Residual `r` folded into one canonical tile of (PERIOD // BIN)^2 bins through the lattice
    (a, b): the mean of every pixel that falls in each bin."""
    import numpy as np

    bins = PERIOD // BIN
    basis = np.array([[a[0], b[0]], [a[1], b[1]]], dtype=np.float64)
    inverse = np.linalg.inv(basis)
    # Every pixel of a large photo is more than the fold needs: keep one in `stride` squared.
    stride = max(1, math.ceil(math.sqrt(r.size / FOLD_PIXELS)))
    ys, xs = np.nonzero(r[::stride, ::stride])
    values = r[::stride, ::stride][ys, xs]
    ys, xs = ys * stride, xs * stride
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
    chips[pilot] = _signs(pilot_key, "pilot", 1, int(pilot.sum()))[0]
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
    image = _open(image_bytes)[0].convert("L")
    longest = max(image.size)
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        image = image.resize((round(image.width * factor), round(image.height * factor)))
    return image


def _aligned(r: Any, pilot_key: bytes) -> tuple[Any, float] | None:
    """The residual folded and aligned on the pilot, or None when no pilot stands out.

    The whitened autocorrelation finds the lattice in a noisy photo; in a clean image, where
    the mark's own lines fill the spectrum, whitening flattens them, so unless the whitened
    lattice fits the pilot beyond doubt the plain one is tried too, and the better kept."""
    best: tuple[Any, float] | None = None
    for whiten in (True, False):
        found = lattice(r, whiten=whiten)
        if found is None:
            continue
        aligned, pilot_z = _align(fold(r, *found), pilot_key)
        if best is None or pilot_z > best[1]:
            best = (aligned, pilot_z)
        if pilot_z >= CLEAR_PILOT_Z:
            break  # no doubt about this lattice: spare the second try
    return best if best is not None and best[1] >= PILOT_Z else None


def detect(image_bytes: bytes, sets: list[CanarySet]) -> list[Match]:
    """The recipients whose mark the image carries, with their correlation as the score."""
    import numpy as np

    from .trace import Match

    if not sets:
        return []
    image = _greyscale(image_bytes)
    if min(image.size) < PERIOD * 2:
        return []
    r = residual(image)
    by_pilot: dict[bytes, list[CanarySet]] = {}
    for cs in sets:
        by_pilot.setdefault(cs.pilot_key, []).append(cs)
    matches: list[Match] = []
    for pilot_key, group in by_pilot.items():
        found = _aligned(r, pilot_key)
        if found is None:
            continue
        aligned, pilot_z = found
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
