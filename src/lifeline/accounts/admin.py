"""The admin site is for platform staff: organisations, users and memberships only. No model
holding personal data is registered here; that data is reached through the scoped app."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.accounts.models import Membership, Organisation, User


@admin.register(User)
class LifelineUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Lifeline", {"fields": ("display_name",)}))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    inlines = [MembershipInline]
    readonly_fields = ("case_counter",)


# django-otp registers its devices here, with each TOTP secret and its QR code on the change
# page: platform staff must not be able to read members' secrets. A member's second factor is
# reset by their organisation's admin (Members page), which is audited.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
