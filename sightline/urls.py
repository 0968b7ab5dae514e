from django.contrib import admin
from django.urls import include, path

from sightline.api.api import api
from sightline.projects import views as project_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("sightline.accounts.urls")),
    path("notifications/", include("sightline.notifications.urls")),
    path("p/<str:key>/", include("sightline.projects.urls")),
    path("p/<str:key>/", include("sightline.backlog.urls")),
    path("p/<str:key>/", include("sightline.sprints.urls")),
    path("p/<str:key>/", include("sightline.acceptance.urls")),
    path("p/<str:key>/", include("sightline.decisions.urls")),
    path("p/<str:key>/", include("sightline.roadmap.urls")),
    path("p/<str:key>/", include("sightline.planning.urls")),
    path("p/<str:key>/", include("sightline.reviews.urls")),
    path("p/<str:key>/", include("sightline.feedback.urls")),
    path("p/<str:key>/", include("sightline.digests.urls")),
    path("", include("sightline.inbox.urls")),
]
