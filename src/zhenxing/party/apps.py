from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhenxing.core.waiting import register_waiting
from zhenxing.registry.panels import register_person_panel


class PartyConfig(AppConfig):
    name = "zhenxing.party"
    label = "party"
    verbose_name = _("Party organisations and cadres")

    def ready(self) -> None:
        # Imported once the app registry is ready (these modules import the models).
        from zhenxing.party import importers
        from zhenxing.party.selectors.lists import person_panel
        from zhenxing.party.selectors.waiting import pipeline_overdue

        importers.register()
        register_person_panel("party/_person_panel.html", person_panel)
        register_waiting("pipeline", pipeline_overdue, position=30)
