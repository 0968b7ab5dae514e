"""The site administration of the backlog.

Items are made through the app and the API (that gives them their key, number and rank) and move through
the workflow there; the admin corrects the fields the item page edits, through the same service, so the
version moves on and the change is in the item's history.
"""

from django import forms
from django.contrib import admin

from sightline.backlog.models import AcceptanceCriterion, Comment, Epic, Item, ItemTemplate, Subtask
from sightline.backlog.services import (
    EDITABLE_FIELDS,
    check_item_changes,
    check_open_for_edit,
    item_admin_update,
)
from sightline.lib.errors import DomainError


class ReadOnlyInline(admin.TabularInline):
    """Shown for reference: criteria and subtasks change on the item page, where they are audited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = AcceptanceCriterion


class SubtaskInline(ReadOnlyInline):
    model = Subtask


class ItemAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        changes = {name: data[name] for name in self.changed_data if name in EDITABLE_FIELDS and name in data}
        saved = Item.objects.select_related("project").get(pk=self.instance.pk)
        try:
            check_item_changes(saved, changes)
            check_open_for_edit(saved, changes)
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemAdminForm
    list_display = ["key", "title", "type", "priority", "status", "points", "sprint"]
    list_filter = ["project", "type", "priority", "status"]
    search_fields = ["key", "title"]
    fields = [
        "project",
        "key",
        "number",
        "status",
        "rank",
        "sprint",
        "version",
        *EDITABLE_FIELDS,
        "staging_url",
        "delivery_note",
        "delivered_at",
        "verified_at",
        "verified_by",
        "accepted_at",
        "accepted_by",
        "rejection_reason",
        "acceptance_holder",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [name for name in fields if name not in EDITABLE_FIELDS]
    raw_id_fields = ["epic", "assignee"]
    inlines = [CriterionInline, SubtaskInline]
    list_select_related = ["sprint"]

    def has_add_permission(self, request):
        return False  # items are made in the app or the API, which number and rank them

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        item_admin_update(actor=request.user, item=obj, changes=changes)


admin.site.register(Epic)
admin.site.register(ItemTemplate)
admin.site.register(Comment)
