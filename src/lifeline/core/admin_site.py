"""The platform admin site (/platform-admin/): platform staff only, and only after a second
factor. django-otp's ``OTPAdminSite`` asks for the code on its login form and treats an
unverified staff session as no staff at all."""

from django_otp.admin import OTPAdminSite


class PlatformAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = "Lifeline platform administration"

    def __init__(self, name: str = "admin") -> None:
        # Keep the "admin" namespace so that reverse("admin:…") works as with Django's site.
        super().__init__(name)
