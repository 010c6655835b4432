from django.urls import path

from zhenxing.registry import views

app_name = "registry"

urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_result, name="import_result"),
    path("import/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/persons/new/", views.person_create, name="person_create"),
    path("households/export/", views.household_export, name="household_export"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
]
