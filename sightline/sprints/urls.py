from django.urls import path

from sightline.sprints import views, views_availability

app_name = "sprints"
urlpatterns = [
    path("sprints/", views.sprint_list, name="list"),
    path("sprints/new/", views.sprint_create_view, name="create"),
    path("sprints/<int:number>/", views.sprint_detail, name="detail"),
    path("sprints/<int:number>/edit/", views.sprint_update_view, name="update"),
    path(
        "sprints/<int:number>/availability/", views_availability.sprint_availability_view, name="availability"
    ),
    path("sprints/<int:number>/plan/", views.sprint_plan_view, name="plan"),
    path("sprints/<int:number>/unplan/", views.sprint_unplan_view, name="unplan"),
    path("sprints/<int:number>/start/", views.sprint_start_view, name="start"),
    path("sprints/<int:number>/close/", views.sprint_close_view, name="close"),
    path("board/", views.board, name="board"),
    path("board/move/", views.board_move, name="board_move"),
]
