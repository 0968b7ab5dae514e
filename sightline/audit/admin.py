from django.contrib import admin

from sightline.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are immutable."""

    list_display = ["at", "project", "actor", "action", "target_label"]
    list_filter = ["action", "project"]
    search_fields = ["target_label", "actor__email", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
