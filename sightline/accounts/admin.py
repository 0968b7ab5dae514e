from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from sightline.accounts.models import ApiToken, Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("full_name", "first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix"]
    search_fields = ["user__email", "name"]

    def has_add_permission(self, request):
        return False  # a token's secret is shown once, on the API tokens page or by `create_token`


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "project", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["digest"]

    def has_add_permission(self, request):
        return False  # the one-time link is made and sent from the project's People page
