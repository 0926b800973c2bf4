"""The canary engine: per-recipient variants of a briefing that read naturally and differ in
ways that survive retelling, invisible and imperceptible marks, and the tracing of a leaked text
or image back to its recipient.

Pure Python (numpy and Pillow loaded only to render or trace images); no Django, no database.
The sharing app stores `CanarySet.to_json()` (encrypted) and keeps who each index is."""

from .canaryset import CanarySet, make_set
from .document import Document, Section
from .trace import Match, trace_image, trace_text

__all__ = [
    "CanarySet",
    "Document",
    "Match",
    "Section",
    "make_set",
    "trace_image",
    "trace_text",
]
