from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IoConfig(AppConfig):
    name = "zhenxing.io"
    label = "io"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        # The selectors import the models: only once the app registry is ready.
        from zhenxing.core.waiting import register_waiting
        from zhenxing.io.selectors import imports_finished

        register_waiting("imports", imports_finished, position=50)
