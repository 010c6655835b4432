from django.urls import path

from zhenxing.party import import_views, training_views, views

app_name = "party"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    *training_views.urlpatterns,
    *import_views.urlpatterns,
]
