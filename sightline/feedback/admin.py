from django.contrib import admin

from sightline.feedback.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "author", "created_at", "item_created"]
    list_filter = ["project"]
    raw_id_fields = ["author", "item", "sprint", "item_created", "converted_by"]
    readonly_fields = ["screenshot_type", "screenshot_name"]
