from django.urls import path

from zhenxing.party.views import cadres as cadre_views
from zhenxing.party.views import dashboard as views
from zhenxing.party.views import imports as import_views
from zhenxing.party.views import organizations as organization_views
from zhenxing.party.views import pipeline as pipeline_views
from zhenxing.party.views import training as training_views

app_name = "party"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("organizations/", organization_views.OrganizationsView.as_view(), name="organizations"),
    path(
        "organizations/<int:pk>/",
        organization_views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path("pipeline/", pipeline_views.WorklistView.as_view(), name="worklist"),
    path("members/<int:pk>/", pipeline_views.MemberDetailView.as_view(), name="member_detail"),
    path("cadres/", cadre_views.ReadinessView.as_view(), name="readiness"),
    path("talent/", cadre_views.TalentView.as_view(), name="talent"),
    *training_views.urlpatterns,
    *import_views.urlpatterns,
]
