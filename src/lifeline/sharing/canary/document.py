"""The briefing as the canary engine sees it: a title and sections of lines, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTION_KINDS = ("text", "list")


@dataclass
class Section:
    """One heading and its lines. A "list" section's lines may be shown in any order (its order
    carries part of the mark); a "text" section's lines keep their order."""

    heading: str
    kind: str = "text"
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in SECTION_KINDS:
            raise ValueError(f"section kind must be one of {SECTION_KINDS}, not {self.kind!r}")
        if any("\n" in line or "\r" in line for line in self.lines):
            raise ValueError("a section line holds no line break; give each line separately")

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "kind": self.kind, "lines": list(self.lines)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(heading=data["heading"], kind=data["kind"], lines=list(data["lines"]))


@dataclass
class Document:
    """A briefing. `rendezvous_landmarks` are interchangeable, low-stakes meeting points (any of
    them would do for the rescue); each recipient is told one of them."""

    title: str
    sections: list[Section] = field(default_factory=list)
    rendezvous_landmarks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "sections": [section.to_dict() for section in self.sections],
            "rendezvous_landmarks": list(self.rendezvous_landmarks),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            title=data["title"],
            sections=[Section.from_dict(s) for s in data["sections"]],
            rendezvous_landmarks=list(data.get("rendezvous_landmarks", [])),
        )

    def text(self) -> str:
        """The plain-text form: title, then each heading with its lines (list lines bulleted)."""
        out = [self.title, ""]
        for section in self.sections:
            out.append(section.heading)
            bullet = "- " if section.kind == "list" else ""
            out.extend(f"{bullet}{line}" for line in section.lines)
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"
