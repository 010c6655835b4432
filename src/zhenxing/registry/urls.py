from django.urls import path

from zhenxing.io import views as import_views
from zhenxing.registry import views

app_name = "registry"

#: The registry's import is io's import UI for the households kind (``/imports/households/``);
#: these URLs stay for links and bookmarks made before.
HOUSEHOLDS = {"kind": "households"}

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("import/", import_views.ImportUploadView.as_view(**HOUSEHOLDS), name="import_upload"),
    path(
        "import/template/",
        import_views.ImportTemplateView.as_view(**HOUSEHOLDS),
        name="import_template",
    ),
    path("import/<int:pk>/", import_views.ImportResultView.as_view(), name="import_result"),
    path("import/<int:pk>/errors/", import_views.ImportErrorsView.as_view(), name="import_errors"),
    path(
        "import/<int:pk>/progress/",
        import_views.ImportProgressView.as_view(),
        name="import_progress",
    ),
    path("import/<int:pk>/cancel/", import_views.ImportCancelView.as_view(), name="import_cancel"),
    path("households/new/", views.HouseholdCreateView.as_view(), name="household_create"),
    path(
        "households/<int:pk>/persons/new/",
        views.PersonCreateView.as_view(),
        name="person_create",
    ),
    path("households/export/", views.HouseholdExportView.as_view(), name="household_export"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("persons/<int:pk>/reveal/", views.PersonRevealView.as_view(), name="person_reveal"),
]
