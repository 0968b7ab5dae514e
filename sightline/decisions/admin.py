from django.contrib import admin

from sightline.decisions.models import DecisionOption, DecisionRequest


class OptionInline(admin.TabularInline):
    model = DecisionOption
    extra = 0


@admin.register(DecisionRequest)
class DecisionRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "state", "due_date", "created_by"]
    list_filter = ["project", "state"]
    raw_id_fields = [
        "holder",
        "created_by",
        "answered_by",
        "withdrawn_by",
        "recommended_option",
        "answer_option",
    ]
    filter_horizontal = ["blocking_items"]
    inlines = [OptionInline]
