from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "lifeline.sharing"
    label = "sharing"
    verbose_name = "Partners, operations and sharing"

    def ready(self) -> None:
        # Erasing a person withdraws what was shared about them.
        from lifeline.privacy.services import register_person_eraser
        from lifeline.sharing.erasure import erase_shared

        register_person_eraser(erase_shared)
