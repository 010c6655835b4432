"""Every read of the collective economy, by sub-domain: ``books`` (one organisation's
reports), ``figures`` (targets, tiers, dashboards), ``distribution`` (shares, plans),
``entities`` (organisations, companies, contracts), ``support`` (industries, supported
villages). Other apps read through the names below."""

from zhenxing.economy.selectors.entities import (
    all_companies,
    all_organizations,
    company_get,
    company_list,
    company_none,
    contract_list,
    industry_by_name,
    industry_list,
    organization_get,
    organization_list,
    organization_of_village,
    units_under,
)
from zhenxing.economy.selectors.figures import (
    economy_summary,
    village_figures,
)

__all__ = [
    "all_companies",
    "all_organizations",
    "company_get",
    "company_list",
    "company_none",
    "contract_list",
    "economy_summary",
    "industry_by_name",
    "industry_list",
    "organization_get",
    "organization_list",
    "organization_of_village",
    "units_under",
    "village_figures",
]
