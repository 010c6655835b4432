from django.urls import path

from zhenxing.economy.views import books, conversion, dashboard, plans, support

app_name = "economy"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("export/", dashboard.DashboardExportView.as_view(), name="dashboard_export"),
    path("report/", dashboard.SummaryReportView.as_view(), name="summary_report"),
    path(
        "organizations/<int:pk>/",
        books.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path(
        "organizations/<int:pk>/vouchers/new/",
        books.VoucherCreateView.as_view(),
        name="voucher_create",
    ),
    path(
        "organizations/<int:pk>/reports/",
        books.OrganizationReportsView.as_view(),
        name="organization_reports",
    ),
    path("organizations/<int:pk>/close/", books.PeriodCloseView.as_view(), name="period_close"),
    path(
        "organizations/<int:pk>/conversion/",
        conversion.ConversionView.as_view(),
        name="conversion",
    ),
    path(
        "conversions/<int:pk>/undo/",
        conversion.ConversionUndoView.as_view(),
        name="conversion_undo",
    ),
    path(
        "organizations/<int:pk>/carry-forward/",
        books.CarryForwardView.as_view(),
        name="carry_forward",
    ),
    path(
        "organizations/<int:pk>/shareholdings/",
        plans.ShareholdingListView.as_view(),
        name="shareholding_list",
    ),
    path("organizations/<int:pk>/plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("industries/", support.IndustryListView.as_view(), name="industries"),
    path("supported/", support.SupportedVillageListView.as_view(), name="supported_villages"),
    path("contracts/", support.ContractListView.as_view(), name="contracts"),
    path("companies/", support.CompanyListView.as_view(), name="companies"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/approve/", plans.PlanApproveView.as_view(), name="plan_approve"),
    path("plans/<int:pk>/reject/", plans.PlanRejectView.as_view(), name="plan_reject"),
    path(
        "plans/<int:pk>/dividends/",
        plans.PlanDividendsExportView.as_view(),
        name="plan_dividends",
    ),
    path("vouchers/import/", books.VoucherImportView.as_view(), name="voucher_import"),
    path(
        "vouchers/import/template/",
        books.VoucherImportTemplateView.as_view(),
        name="voucher_import_template",
    ),
    path(
        "organizations/<int:pk>/post-all/",
        books.VoucherPostAllView.as_view(),
        name="voucher_post_all",
    ),
    path("vouchers/<int:pk>/", books.VoucherDetailView.as_view(), name="voucher_detail"),
    path("vouchers/<int:pk>/post/", books.VoucherPostView.as_view(), name="voucher_post"),
    path("vouchers/<int:pk>/attach/", books.VoucherAttachView.as_view(), name="voucher_attach"),
    path(
        "attachments/<int:pk>/",
        books.VoucherAttachmentView.as_view(),
        name="voucher_attachment",
    ),
    path("vouchers/<int:pk>/reverse/", books.VoucherReverseView.as_view(), name="voucher_reverse"),
    path("vouchers/<int:pk>/discard/", books.VoucherDiscardView.as_view(), name="voucher_discard"),
]
