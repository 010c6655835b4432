from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "zhenxing.registry"
    label = "registry"
    verbose_name = _("Household registry")

    def ready(self) -> None:
        # Importing models is only allowed once the app registry is ready: Django's documented
        # place for registrations, not a dodged cycle.
        from zhenxing.core.waiting import register_waiting
        from zhenxing.io.jobs import register_importer
        from zhenxing.registry.importers import household_person_spec, import_households
        from zhenxing.registry.selectors import households_of_area

        register_importer("households", household_person_spec, import_households)
        register_waiting("households", households_of_area, position=40)
