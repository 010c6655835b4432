from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "zhenxing.grid"
    label = "grid"
    verbose_name = _("Grid management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhenxing.grid.selectors.panels import household_grid_panel
        from zhenxing.registry.panels import register_household_panel

        register_household_panel("grid/_household_panel.html", household_grid_panel)
