"""What counts as an offer to screen, and the clear message when something does not.

The text is only read, never rendered as HTML and never stored by screening itself: markup is
reduced to its words (a pasted web page or a script tag is not an error), but input that is not
text at all, or too long to be one offer, is refused with a message that says what to do.
"""

import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One offer or one recruiter's chat is a few thousand characters; a whole page is a mistake.
MAX_OFFER_CHARS = 20_000
# Bytes read from a file or a request before it is refused as too long (UTF-8 is up to 4 a char).
MAX_OFFER_BYTES = 4 * MAX_OFFER_CHARS

_HIDDEN_BLOCKS = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACES = re.compile(r"[ \t\f\v]+")


def decode(data: bytes) -> str:
    """Bytes from a file or a pipe as text, or a ValidationError if they are not text."""
    if len(data) > MAX_OFFER_BYTES:
        raise ValidationError(_too_long(len(data)), code="too_long")
    if b"\x00" in data:
        raise ValidationError(_not_text(), code="not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_not_text(), code="not_text") from None


def clean_offer(text: str) -> str:
    """The words of an offer, ready to screen: markup and control characters removed.

    Raises ``ValidationError`` (code ``empty``, ``too_long``, ``not_text`` or ``no_words``)
    with a message for the person who pasted it.
    """
    if len(text) > MAX_OFFER_CHARS:
        raise ValidationError(_too_long(len(text)), code="too_long")
    if "\x00" in text:
        raise ValidationError(_not_text(), code="not_text")
    text = _HIDDEN_BLOCKS.sub(" ", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = "".join(
        char
        for char in text
        if char in "\n\t"
        or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
        or char in "\u200c\u200d"  # joiners shape Khmer, Burmese and emoji sequences
    )
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()
    if not text:
        raise ValidationError(
            _("There is nothing to check: paste the text of the offer or of the message."),
            code="empty",
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in text):
        raise ValidationError(
            _("There are no words to check in this text (only symbols or emoji)."),
            code="no_words",
        )
    return text


def _too_long(size: int) -> str:
    return _(
        "The text is too long to check (%(size)s characters; at most %(max)s). Paste the offer "
        "itself, without the rest of the page."
    ) % {"size": f"{size:,}", "max": f"{MAX_OFFER_CHARS:,}"}


def _not_text() -> str:
    return _(
        "This is not text. Paste the words of the offer, or save it as a plain-text (UTF-8) file."
    )
