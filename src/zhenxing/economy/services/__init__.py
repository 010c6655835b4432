"""Every write to the collective economy, by sub-domain: ``books`` (vouchers, months, the bulk
load), ``distribution`` (shares and plans), ``entities`` (organisations, companies,
contracts), ``support`` (industries, key supported villages), ``summaries`` (the tables
posting keeps). Other apps call these names; they are the economy's public writes."""

from zhenxing.economy.services.books import (
    LineIn,
    VoucherIn,
    carry_forward,
    period_close,
    voucher_attach,
    voucher_discard,
    voucher_post,
    voucher_prepare,
    voucher_reverse,
    vouchers_load,
    vouchers_post_drafts,
)
from zhenxing.economy.services.distribution import (
    distribution_plan_approve,
    distribution_plan_propose,
    distribution_plan_reject,
    may_decide,
    shareholding_set,
)
from zhenxing.economy.services.entities import company_create, contract_create, organization_create
from zhenxing.economy.services.support import (
    industry_scale_set,
    support_record_add,
    supported_village_designate,
)

__all__ = [
    "LineIn",
    "VoucherIn",
    "carry_forward",
    "company_create",
    "contract_create",
    "distribution_plan_approve",
    "distribution_plan_propose",
    "distribution_plan_reject",
    "industry_scale_set",
    "may_decide",
    "organization_create",
    "period_close",
    "shareholding_set",
    "support_record_add",
    "supported_village_designate",
    "voucher_attach",
    "voucher_discard",
    "voucher_post",
    "voucher_prepare",
    "voucher_reverse",
    "vouchers_load",
    "vouchers_post_drafts",
]
