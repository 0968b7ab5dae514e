from django.contrib import admin

from sightline.reviews.models import CriteriaReview, CriteriaReviewComment, CriteriaReviewItem


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


@admin.register(CriteriaReviewComment)
class CriteriaReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["entry", "author", "created_at"]
    list_select_related = ["entry", "author"]
    raw_id_fields = ["entry", "author"]
