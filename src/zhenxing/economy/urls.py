from django.urls import path

from zhenxing.economy import views

app_name = "economy"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("report/", views.summary_report, name="summary_report"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/vouchers/new/", views.voucher_create, name="voucher_create"),
    path(
        "organizations/<int:pk>/reports/", views.organization_reports, name="organization_reports"
    ),
    path("organizations/<int:pk>/close/", views.period_close, name="period_close"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/post/", views.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/reverse/", views.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/discard/", views.voucher_discard, name="voucher_discard"),
]
