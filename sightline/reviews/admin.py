from django.contrib import admin

from sightline.reviews.models import CriteriaReview, CriteriaReviewItem


class EntryInline(admin.TabularInline):
    model = CriteriaReviewItem
    extra = 0
    raw_id_fields = ["item", "reviewed_by"]


@admin.register(CriteriaReview)
class CriteriaReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "due_date", "state", "requested_by", "holder"]
    list_filter = ["project", "state"]
    raw_id_fields = ["requested_by", "holder"]
    inlines = [EntryInline]
