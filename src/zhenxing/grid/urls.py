from django.urls import path

from zhenxing.grid.views import pages, phone

app_name = "grid"

urlpatterns = [
    path("", pages.DashboardView.as_view(), name="dashboard"),
    path("villages/<str:code>/", pages.VillageGridsView.as_view(), name="village_grids"),
    path("grids/<int:pk>/", pages.GridDetailView.as_view(), name="grid_detail"),
    path("contracts/", pages.ContractListView.as_view(), name="contract_list"),
    path("contracts/<int:pk>/", pages.ContractDetailView.as_view(), name="contract_detail"),
    path("assessment/", pages.PeriodListView.as_view(), name="period_list"),
    path("assessment/<int:pk>/", pages.PeriodDetailView.as_view(), name="period_detail"),
    path("photos/<int:pk>/", phone.visit_photo, name="visit_photo"),
    # The grid worker's phone: pages the service worker caches, and the queue's endpoint.
    path("m/", phone.PhoneHomeView.as_view(), name="phone_home"),
    path("m/households/<int:pk>/", phone.PhoneHouseholdView.as_view(), name="phone_household"),
    path("m/sync/", phone.visit_sync, name="phone_sync"),
    path("m/sw.js", phone.service_worker, name="phone_sw"),
]
