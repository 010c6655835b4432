"""Compatibility name for tests owned elsewhere: issue 12 moved this module to
``zhenxing.economy.services.entities``. Remove once nothing imports it from here."""

from zhenxing.economy.services.entities import company_create, contract_create, organization_create

__all__ = ["company_create", "contract_create", "organization_create"]
