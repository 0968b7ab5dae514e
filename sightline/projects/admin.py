from django.contrib import admin
from django.db import models

from sightline.projects.models import Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["key", "name", "client_name", "sprint_length_weeks", "created_at"]
    search_fields = ["key", "name", "client_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "is_acceptor"]
    list_filter = ["role", "project"]
    search_fields = ["user__email", "project__key"]
