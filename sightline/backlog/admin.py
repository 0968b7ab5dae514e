from django.contrib import admin

from sightline.backlog.models import AcceptanceCriterion, Comment, Epic, Item, ItemTemplate, Subtask


class CriterionInline(admin.TabularInline):
    model = AcceptanceCriterion
    extra = 0


class SubtaskInline(admin.TabularInline):
    model = Subtask
    extra = 0
    raw_id_fields = ["assignee"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "type", "priority", "status", "points", "sprint"]
    list_filter = ["project", "type", "priority", "status"]
    search_fields = ["key", "title"]
    readonly_fields = ["key", "number", "version", "created_at", "updated_at"]
    raw_id_fields = ["epic", "sprint", "assignee", "accepted_by", "verified_by", "created_by"]
    inlines = [CriterionInline, SubtaskInline]
    list_select_related = ["sprint"]


admin.site.register(Epic)
admin.site.register(ItemTemplate)
admin.site.register(Comment)
