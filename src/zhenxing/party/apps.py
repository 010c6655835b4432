from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "zhenxing.party"
    label = "party"
    verbose_name = _("Party organisations and cadres")

    def ready(self) -> None:
        from zhenxing.party import importers

        importers.register()
