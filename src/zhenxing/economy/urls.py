from django.urls import path

from zhenxing.economy import plan_views, support_views, views

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
    path("organizations/<int:pk>/carry-forward/", views.carry_forward, name="carry_forward"),
    path(
        "organizations/<int:pk>/shareholdings/",
        plan_views.shareholding_list,
        name="shareholding_list",
    ),
    path("organizations/<int:pk>/plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("industries/", support_views.industries, name="industries"),
    path("supported/", support_views.supported_villages, name="supported_villages"),
    path("contracts/", support_views.contracts, name="contracts"),
    path("companies/", support_views.companies, name="companies"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/reject/", plan_views.plan_reject, name="plan_reject"),
    path("plans/<int:pk>/dividends/", plan_views.plan_dividends_export, name="plan_dividends"),
    path("vouchers/import/", views.voucher_import, name="voucher_import"),
    path(
        "vouchers/import/template/", views.voucher_import_template, name="voucher_import_template"
    ),
    path("organizations/<int:pk>/post-all/", views.voucher_post_all, name="voucher_post_all"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/post/", views.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/attach/", views.voucher_attach, name="voucher_attach"),
    path("attachments/<int:pk>/", views.voucher_attachment, name="voucher_attachment"),
    path("vouchers/<int:pk>/reverse/", views.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/discard/", views.voucher_discard, name="voucher_discard"),
]
