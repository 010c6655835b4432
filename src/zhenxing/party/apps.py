from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhenxing.core.waiting import register_waiting
from zhenxing.registry.panels import register_person_panel
from zhenxing.registry.signals import persons_changed


class PartyConfig(AppConfig):
    name = "zhenxing.party"
    label = "party"
    verbose_name = _("Party organisations and cadres")

    def ready(self) -> None:
        # Imported once the app registry is ready (these modules import the models).
        from zhenxing.party import importers
        from zhenxing.party.selectors.lists import person_panel
        from zhenxing.party.selectors.waiting import pipeline_overdue
        from zhenxing.party.services import figures

        importers.register()
        # A cadre's age, sex or education changed: their villages' summary rows are stale.
        persons_changed.connect(figures.forget_changed_persons, dispatch_uid="party-figures")
        register_person_panel("party/_person_panel.html", person_panel)
        register_waiting("pipeline", pipeline_overdue, position=30)
