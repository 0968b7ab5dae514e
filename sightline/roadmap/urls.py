from django.urls import path

from sightline.roadmap import views

app_name = "roadmap"
urlpatterns = [
    path("roadmap/", views.roadmap_page, name="page"),
    path("roadmap/propose/", views.change_propose, name="propose"),
    path("roadmap/changes/<int:change_id>/", views.change_detail, name="change"),
    path("roadmap/changes/<int:change_id>/approve/", views.change_approve, name="approve"),
    path("roadmap/changes/<int:change_id>/decline/", views.change_decline, name="decline"),
    path("roadmap/changes/<int:change_id>/withdraw/", views.change_withdraw, name="withdraw"),
    path("roadmap/releases/", views.release_create_view, name="release_create"),
    path("roadmap/releases/<int:release_id>/", views.release_edit_view, name="release_edit"),
    path("roadmap/epics/<int:epic_id>/release/", views.epic_place_view, name="epic_place"),
]
