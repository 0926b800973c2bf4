"""The provisioning QR code and secret an authenticator app reads at enrolment."""

from base64 import b32encode

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL as an SVG data URI for an ``<img>`` (the CSP allows ``data:``
    images; an inline ``<svg>`` would work too, but this keeps the markup out of the page)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def totp_secret_groups(device: TOTPDevice) -> list[str]:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]
