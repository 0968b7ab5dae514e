from django.contrib import admin

from sightline.digests.models import DigestSent, SprintGoalShare

admin.site.register(DigestSent)
admin.site.register(SprintGoalShare)
