from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhenxing.demo"
    label = "demo"
    verbose_name = "Demo city"
