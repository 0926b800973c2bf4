"""Test files made on the fly: images with Pillow, archives with zipfile, no binary fixtures."""

import io
import zipfile

from PIL import Image

GPS_TAG = 0x8825


def jpeg(size=(64, 48), *, gps=False, colour=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    if gps:
        exif[GPS_TAG] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(64, 48), colour=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (16, 16)).save(out, "GIF")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, "WEBP")
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, "PDF")
    return out.getvalue()


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def chat_export() -> bytes:
    return zip_of({"_chat.txt": b"[12/03/2026, 10:01] Mei: they took my passport\n"})


def wav() -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    return out.getvalue()


def bomb_png(edge=12_000) -> bytes:
    """A small PNG that decodes to edge × edge pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (edge, edge)).save(out, "PNG", optimize=True)
    return out.getvalue()
