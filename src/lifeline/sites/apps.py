from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "lifeline.sites"
    label = "sites"
    verbose_name = "Sites"

    def ready(self) -> None:
        # Erasing a person erases their sightings.
        from lifeline.privacy.services import register_person_eraser
        from lifeline.sites.erasure import erase_sightings

        register_person_eraser(erase_sightings)
