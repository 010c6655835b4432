from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhenxing.core"
    label = "core"
    verbose_name = "Zhenxing core"
