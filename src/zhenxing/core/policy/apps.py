from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "zhenxing.core.policy"
    label = "policy"
    verbose_name = _("Policy values")
