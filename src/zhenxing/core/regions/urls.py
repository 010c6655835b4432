from django.urls import path

from zhenxing.core.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.region_root, name="region_root"),
    path("search/", views.region_search, name="region_search"),
    path("<str:code>/", views.region_detail, name="region_detail"),
    path("<str:code>/new/", views.region_create, name="region_create"),
    path("<str:code>/edit/", views.region_update, name="region_update"),
    path("<str:code>/delete/", views.region_delete, name="region_delete"),
    path("<str:code>/export/", views.region_export, name="region_export"),
]
