"""Training pages (filled in by the training work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
