from django.urls import path

from sightline.backlog import views

app_name = "backlog"
urlpatterns = [
    path("backlog/", views.backlog_list, name="list"),
    path("items/new/", views.item_create_view, name="create"),
    path("items/<str:item_key>/", views.item_detail, name="item"),
    path("items/<str:item_key>/edit/", views.item_edit, name="edit"),
    path("items/<str:item_key>/move/", views.item_move_view, name="move"),
    path("items/<str:item_key>/priority/", views.item_priority, name="priority"),
    path("items/<str:item_key>/transition/", views.item_transition_view, name="transition"),
    path("items/<str:item_key>/subtasks/", views.subtask_add_view, name="subtask_add"),
    path(
        "items/<str:item_key>/subtasks/<int:subtask_id>/toggle/",
        views.subtask_toggle_view,
        name="subtask_toggle",
    ),
    path("items/<str:item_key>/comments/", views.comment_add_view, name="comment_add"),
    path("items/<str:item_key>/history/", views.item_history, name="history"),
    path("epics/", views.epic_list, name="epics"),
    path("epics/<int:epic_id>/edit/", views.epic_edit, name="epic_edit"),
    path("epics/<int:epic_id>/move/", views.epic_move_view, name="epic_move"),
    path("templates/", views.template_edit, name="templates"),
]
