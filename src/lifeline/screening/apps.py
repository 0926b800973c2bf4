from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lifeline.screening"
    label = "screening"
    verbose_name = "Job-offer screening"

    def ready(self) -> None:
        # An erased case takes the text of the offers that came with it.
        from lifeline.privacy.services import register_shredder
        from lifeline.screening.erasure import shred_lures

        register_shredder(shred_lures)
