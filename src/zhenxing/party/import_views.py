"""Import pages for members, cadres and attendance (filled in by the import work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
