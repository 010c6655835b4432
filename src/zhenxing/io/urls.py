"""The import pages every importer shares (``/imports/``)."""

from django.urls import path

from zhenxing.io import views

app_name = "io"

urlpatterns = [
    path("<int:pk>/", views.ImportResultView.as_view(), name="import_result"),
    path("<int:pk>/errors/", views.ImportErrorsView.as_view(), name="import_errors"),
    path("<int:pk>/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import_cancel"),
    path("<slug:kind>/", views.ImportUploadView.as_view(), name="import_upload"),
    path("<slug:kind>/template/", views.ImportTemplateView.as_view(), name="import_template"),
]
