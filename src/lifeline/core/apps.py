from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lifeline.core"
    label = "core"

    def ready(self) -> None:
        # Fail at start-up, not at the first request, when keys are missing or malformed.
        from lifeline.core import crypto

        crypto.get_keyring()
