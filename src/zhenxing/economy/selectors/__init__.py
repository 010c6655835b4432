"""Every read of the collective economy, by sub-domain: ``books`` (one organisation's
reports), ``figures`` (targets, tiers, dashboards), ``distribution`` (shares, plans),
``entities`` (organisations, companies, contracts), ``support`` (industries, supported
villages). Other apps read through the names below."""

from zhenxing.economy.selectors.entities import (
    company_list,
    contract_list,
    industry_list,
    organization_list,
    organization_of_village,
)
from zhenxing.economy.selectors.figures import (
    default_year,
    economy_summary,
    village_figures,
)

__all__ = [
    "company_list",
    "contract_list",
    "default_year",
    "economy_summary",
    "industry_list",
    "organization_list",
    "organization_of_village",
    "village_figures",
]
