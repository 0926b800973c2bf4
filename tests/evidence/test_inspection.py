"""lifeline.evidence.inspection: typing by content, and every refusal."""

import io
import json

import pytest
from PIL import Image

from lifeline.evidence.inspection import Rejected, inspect
from tests.evidence import files


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (files.jpeg(), "image/jpeg"),
        (files.png(), "image/png"),
        (files.gif(), "image/gif"),
        (files.webp(), "image/webp"),
        (files.pdf(), "application/pdf"),
        (files.wav(), "audio/x-wav"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x13OpusHead" + b"\x00" * 64, "audio/ogg"),
        (b"ID3\x03\x00" + b"\x00" * 200, "audio/mpeg"),
        (b"#!AMR\n" + b"\x3c" * 0 + b"\x04" * 64, "audio/amr"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 64, "audio/mp4"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "image/heic"),
        ("[12/03/2026] Mei: 他们拿走了我的护照\n".encode(), "text/plain"),
        (json.dumps({"messages": [{"from": "Mei", "text": "help"}]}).encode(), "application/json"),
        (files.chat_export(), "application/zip"),
    ],
)
def test_it_types_files_by_their_content(data, media_type):
    assert inspect(data).media_type == media_type


def test_it_ignores_the_name_and_declared_type():
    # There is no name or declared type to pass: only the bytes decide.
    assert inspect(files.png()).media_type == "image/png"


def test_it_reencodes_a_preview_without_metadata():
    result = inspect(files.jpeg(size=(3000, 2000), gps=True))
    assert result.preview is not None and result.preview.media_type == "image/jpeg"
    preview = Image.open(io.BytesIO(result.preview.data))
    assert max(preview.size) == 1024
    assert not preview.getexif() and "exif" not in preview.info
    assert b"PhoneMaker" not in result.preview.data


def _refused(data: bytes, match: str) -> None:
    with pytest.raises(Rejected, match=match):
        inspect(data)


def test_it_refuses_empty_files():
    _refused(b"", "empty")


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + b"\x00" * 100,  # a Windows executable
        b"\x7fELF" + b"\x02\x01\x01" + b"\x00" * 100,
        b"%!PS-Adobe-3.0\n",
        b"\xff\xfe\x00\x00garbage\x00binary",
    ],
)
def test_it_refuses_types_outside_the_allow_list(data):
    with pytest.raises(Rejected):
        inspect(data)


@pytest.mark.parametrize(
    "page", [b"<!DOCTYPE html><script>alert(1)</script>", b"<svg onload=alert(1)>", b"<html>"]
)
def test_it_refuses_web_pages_posing_as_text(page):
    _refused(page, "Web pages")


@pytest.mark.parametrize("image", [files.jpeg, files.png, files.gif], ids=["jpeg", "png", "gif"])
def test_it_refuses_images_carrying_script(image):
    _refused(image() + b"<script>fetch('/api/v1/cases')</script>", "web-page or script")


def test_it_refuses_a_pdf_with_an_appended_zip():
    _refused(files.pdf() + files.chat_export(), "ZIP archive hidden")


def test_it_refuses_a_jpeg_with_an_appended_zip():
    _refused(files.jpeg() + files.chat_export(), "ZIP archive hidden")


def test_it_refuses_an_image_that_is_also_a_pdf():
    _refused(files.png()[:40] + b"%PDF-1.7\n" + files.png()[40:], "also a PDF")


def test_it_refuses_a_file_matching_two_types():
    # A RIFF header that says WAVE and an ID3 tag of an MP3 both match at the start? No: a
    # ZIP-based office document matches both "zip" and "docx".
    docx = files.zip_of({"[Content_Types].xml": b"x", "word/document.xml": b"<w/>"})
    with pytest.raises(Rejected):
        inspect(docx)


def test_it_refuses_a_zip_bomb_by_ratio():
    _refused(files.zip_of({"chat.txt": b"\x00" * (20 * 1024 * 1024)}), "suspiciously well")


def test_it_refuses_a_zip_bomb_by_total_size(settings):
    settings.LIFELINE_EVIDENCE_ZIP_MAX_TOTAL_BYTES = 1024 * 1024
    data = files.zip_of({f"{n}.txt": bytes(range(256)) * 2048 for n in range(3)})
    _refused(data, "unpacks to more than")


def test_it_refuses_too_many_members(settings):
    settings.LIFELINE_EVIDENCE_ZIP_MAX_MEMBERS = 10
    _refused(files.zip_of({f"{n}.txt": b"x" for n in range(11)}), "more than 10 files")


def test_it_refuses_nested_archives():
    inner = files.chat_export()
    _refused(files.zip_of({"inner.zip": inner}), "inside the archive")
    _refused(files.zip_of({"photo.jpg": inner}), "inside the archive")


def test_it_refuses_unsafe_member_paths():
    _refused(files.zip_of({"../../etc/cron.d/x": b"x"}), "unsafe path")


def test_it_refuses_an_image_bomb():
    _refused(files.bomb_png(), "too large in pixels")


def test_it_refuses_an_image_over_the_pixel_setting(settings):
    settings.LIFELINE_EVIDENCE_MAX_PIXELS = 1000
    _refused(files.png(size=(100, 100)), "too large in pixels")


def test_it_refuses_a_damaged_image():
    _refused(files.png()[:60], "damaged")


def test_it_refuses_text_with_a_zip_appended():
    # A ZIP stored without compression and with no NUL bytes is rare but possible; the end
    # record is what readers look for, so test that check directly on a text prefix.
    from lifeline.evidence.inspection import _holds_zip

    assert _holds_zip(b"chat log\n" + files.chat_export())
    assert not _holds_zip(b"chat log\n")


def _corrupt_member_data(data: bytes) -> bytes:
    """Flip a byte inside the (stored) member's data: the CRC no longer matches."""
    at = data.index(b"they took") + 3
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def test_it_refuses_an_archive_whose_member_does_not_match_its_crc():
    import zipfile

    stored = files.zip_of(
        {"_chat.txt": b"[12/03/2026] Mei: they took my passport\n"}, zipfile.ZIP_STORED
    )
    _refused(_corrupt_member_data(stored), "damaged or uses an unsupported method")


def test_it_refuses_an_archive_with_an_unsupported_compression_method():
    import zipfile

    stored = files.zip_of(
        {"_chat.txt": b"[12/03/2026] Mei: they took my passport\n"}, zipfile.ZIP_STORED
    )
    # Compression method 99 (AES) in the local header and the central directory.
    local = stored.index(b"PK\x03\x04") + 8
    central = stored.index(b"PK\x01\x02") + 10
    patched = bytearray(stored)
    patched[local : local + 2] = patched[central : central + 2] = (99).to_bytes(2, "little")
    _refused(bytes(patched), "unsupported method")
