from django.urls import path

from sightline.acceptance import views

app_name = "acceptance"
urlpatterns = [
    path("awaiting/", views.awaiting, name="awaiting"),
    path("items/<str:item_key>/review/", views.review, name="review"),
    path("items/<str:item_key>/accept/", views.accept, name="accept"),
    path("items/<str:item_key>/reject/", views.reject, name="reject"),
]
