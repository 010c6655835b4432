from django.urls import include, path
from django.views.i18n import set_language

from zhenxing.api import api
from zhenxing.core import home
from zhenxing.core.accounts import views as account_views

urlpatterns = [
    path("", home.home, name="home"),
    path("home/chart/export/", home.home_chart_export, name="home_chart_export"),
    path("login/", account_views.login_view, name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("password/", account_views.password_change, name="password_change"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("regions/", include("zhenxing.core.regions.urls")),
    path("accounts/", include("zhenxing.core.accounts.urls")),
    path("audit/", include("zhenxing.core.audit.urls")),
    path("registry/", include("zhenxing.registry.urls")),
    path("economy/", include("zhenxing.economy.urls")),
    path("party/", include("zhenxing.party.urls")),
    path("grid/", include("zhenxing.grid.urls")),
    path("imports/", include("zhenxing.io.urls")),
    path("api/v1/", api.urls),
]
