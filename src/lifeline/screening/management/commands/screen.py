"""``lifeline screen FILE|-``: screen a job offer from a file or standard input."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.screening import scoring
from lifeline.screening.text import MAX_OFFER_BYTES, decode


class Command(BaseCommand):
    help = "Screen a job offer (a text file, or - for standard input). Nothing is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a UTF-8 text file, or - to read standard input")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"] == "-":
                data = sys.stdin.buffer.read(MAX_OFFER_BYTES + 1)
            else:
                with Path(options["file"]).open("rb") as handle:
                    data = handle.read(MAX_OFFER_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        try:
            result = scoring.screen_offer(decode(data))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps(_as_dict(result), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result.level_label} ({result.level}, score {result.score:.2f})")
        for hit in result.hits:
            self.stdout.write(f"- {hit.sign.title}: {', '.join(hit.phrases)}")
            self.stdout.write(f"  {hit.sign.why}")
        if result.features:
            terms = ", ".join(f"{f.term} ({f.weight:+.3f})" for f in result.features)
            self.stdout.write(f"Model terms: {terms}")
        elif result.model_score is None:
            self.stdout.write("No model installed: the warning signs alone gave the score.")
        self.stdout.write(str(scoring.ADVICE))


def _as_dict(result: scoring.Screening) -> dict[str, Any]:
    return {
        "level": result.level,
        "score": result.score,
        "signs_score": result.signs_score,
        "model_score": result.model_score,
        "signs": [
            {
                "code": h.code,
                "title": str(h.sign.title),
                "why": str(h.sign.why),
                "phrases": list(h.phrases),
            }
            for h in result.hits
        ],
        "features": [{"term": f.term, "weight": f.weight} for f in result.features],
    }
