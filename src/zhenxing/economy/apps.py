from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "zhenxing.economy"
    label = "economy"
    verbose_name = _("Village collective economy")

    def ready(self) -> None:
        # Importing models is only allowed once the app registry is ready: Django's documented
        # place for registrations, not a dodged cycle.
        from zhenxing.core.waiting import register_waiting
        from zhenxing.economy.importers.vouchers import import_vouchers, voucher_spec
        from zhenxing.economy.selectors.waiting import plans_to_decide, vouchers_to_approve
        from zhenxing.io.jobs import register_importer

        register_importer("vouchers", voucher_spec, import_vouchers)
        register_waiting("vouchers", vouchers_to_approve, position=10)
        register_waiting("plans", plans_to_decide, position=20)
