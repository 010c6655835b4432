"""The economy's demo generator (``zhenxing demo`` composes it with the other apps')."""

from zhenxing.economy.demo.economy import demo_distribution_load, demo_economy_load

__all__ = ["demo_distribution_load", "demo_economy_load"]
