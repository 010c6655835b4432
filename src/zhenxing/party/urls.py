from django.urls import path

from zhenxing.party import import_views, training_views, views

app_name = "party"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("pipeline/", views.worklist, name="worklist"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("cadres/", views.readiness, name="readiness"),
    path("talent/", views.talent, name="talent"),
    *training_views.urlpatterns,
    *import_views.urlpatterns,
]
