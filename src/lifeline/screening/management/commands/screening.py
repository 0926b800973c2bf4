"""``lifeline screening train``: fit the screening model on labelled postings and save it."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.screening import model


class Command(BaseCommand):
    help = "Job-offer screening: train the model (`lifeline screening train`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train the model and save it with skops")
        train.add_argument("--data", type=Path, default=None, help="JSON lines of {text, label}")
        train.add_argument("--out", type=Path, default=None, help="where to write the model")
        train.add_argument(
            "--if-missing", action="store_true", help="do nothing if the model file exists"
        )
        train.add_argument(
            "--no-evaluate", action="store_true", help="skip the cross-validated metrics"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = options["data"] or Path(settings.LIFELINE_SCREENING_TRAINING_DATA)
        out = options["out"] or model.model_path()
        if options["if_missing"] and out.exists():
            try:
                model.load(out)
            except model.ModelUnavailable as exc:
                # A model file of an earlier format is replaced rather than left unused.
                self.stdout.write(f"Training again: {exc}.")
            else:
                self.stdout.write(f"The screening model is already at {out}.")
                return
        if not data.is_file():
            raise CommandError(
                f"no training data at {data}: pass --data or set LIFELINE_SCREENING_TRAINING_DATA"
            )
        try:
            meta = model.train(data=data, out=out, evaluate=not options["no_evaluate"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        source = meta["training_data"]
        self.stdout.write(
            f"Trained on {source['rows']} postings ({source['fraudulent']} fraudulent), "
            f"data sha256 {source['sha256']}; saved to {out}."
        )
        if meta["metrics"]:
            figures = meta["metrics"]["cross_validated"]
            self.stdout.write(
                f"{meta['metrics']['folds']}-fold cross-validated, fraud class: "
                + ", ".join(f"{name} {value:.3f}" for name, value in figures.items())
            )
