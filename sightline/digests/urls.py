from django.urls import path

from sightline.digests import views

app_name = "digests"
urlpatterns = [
    path("digest/", views.preview, name="preview"),
    path("digest/email/", views.email, name="email"),
    path("sprints/<int:number>/share-goal/", views.share_goal, name="share_goal"),
]
