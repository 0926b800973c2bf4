"""The admin site is for platform staff: organisations, users and memberships only. No model
holding personal data is registered here; that data is reached through the scoped app."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
