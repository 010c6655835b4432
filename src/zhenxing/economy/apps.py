from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "zhenxing.economy"
    label = "economy"
    verbose_name = _("Village collective economy")

    def ready(self) -> None:
        # Importing models is only allowed once the app registry is ready: Django's documented
        # place for registrations, not a dodged cycle.
        from zhenxing.economy.importers.vouchers import import_vouchers, voucher_spec
        from zhenxing.io.jobs import register_importer

        register_importer("vouchers", voucher_spec, import_vouchers)
