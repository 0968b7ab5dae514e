from django.urls import path

from sightline.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("tokens/", views.tokens_view, name="tokens"),
]
