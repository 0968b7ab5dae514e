from django.contrib import admin

from sightline.notifications.models import Notification

admin.site.register(Notification)
