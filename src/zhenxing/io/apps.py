from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IoConfig(AppConfig):
    name = "zhenxing.io"
    label = "io"
    verbose_name = _("Imports and exports")
