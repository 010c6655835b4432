from django.urls import path

from zhenxing.party.views import cadres as cadre_views
from zhenxing.party.views import dashboard as views
from zhenxing.party.views import imports as import_views
from zhenxing.party.views import organizations as organization_views
from zhenxing.party.views import pipeline as pipeline_views
from zhenxing.party.views import training as training_views

app_name = "party"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organizations/", organization_views.organizations, name="organizations"),
    path(
        "organizations/<int:pk>/",
        organization_views.organization_detail,
        name="organization_detail",
    ),
    path("pipeline/", pipeline_views.WorklistView.as_view(), name="worklist"),
    path("members/<int:pk>/", pipeline_views.MemberDetailView.as_view(), name="member_detail"),
    path("cadres/", cadre_views.readiness, name="readiness"),
    path("talent/", cadre_views.talent, name="talent"),
    *training_views.urlpatterns,
    *import_views.urlpatterns,
]
