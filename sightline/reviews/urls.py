from django.urls import path

from sightline.reviews import views

app_name = "reviews"
urlpatterns = [
    path("criteria-reviews/new/", views.review_create, name="create"),
    path("criteria-reviews/<int:review_id>/", views.review_detail, name="detail"),
    path("criteria-reviews/<int:review_id>/items/<str:item_key>/review/", views.review_mark, name="mark"),
    path(
        "criteria-reviews/<int:review_id>/items/<str:item_key>/comment/", views.review_comment, name="comment"
    ),
    path("grooming/", views.grooming, name="grooming"),
]
