from django.contrib import admin

from sightline.sprints.models import ScopeChange, Sprint


@admin.register(Sprint)
class SprintAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "goal", "start_date", "end_date", "state", "velocity_points"]
    list_filter = ["project", "state"]


admin.site.register(ScopeChange)
