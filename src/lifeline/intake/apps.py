from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lifeline.intake"
    label = "intake"
    verbose_name = "Public intake"

    def ready(self) -> None:
        # An erasure of a person, or the retention run, scrubs their check-ins too.
        from lifeline.intake.erasure import shred_intake
        from lifeline.privacy.services import register_shredder

        register_shredder(shred_intake)
