"""Export columns and rows: the dashboards' tables, industries, a plan's dividends, and the
summary report in the government layout. Views choose; these say what a file holds."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from zhenxing.core.regions.models import Region
from zhenxing.core.web.export import Column, safe_sheet_name, table_response
from zhenxing.economy.models import DistributionPlan, Tier
from zhenxing.economy.selectors import distribution as plan_selectors
from zhenxing.economy.selectors import figures as selectors

#: The dashboard's tables, by the ``?table=`` that names them ("top" and "bottom": the villages
#: of the two ranked charts, in the chart's order, with their rank).
DASHBOARD_TABLES = ("villages", "tiers", "distribution", "progress", "children", "top", "bottom")


def _village_columns(*, income: bool) -> list[Column]:
    return [
        Column("code", _("division code"), 16),
        Column("township", _("township"), 14),
        Column("name", _("village"), 14),
        Column("accumulation", _("accumulation (yuan)"), 16),
        *([Column("operating_income", _("operating income (yuan)"), 16)] if income else []),
        Column("tier", _("tier"), 14),
    ]


def _village_row(f: Any, tier_names: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": f.code,
        "township": f.township,
        "name": f.name,
        "accumulation": f.accumulation,
        "operating_income": f.operating_income,
        "tier": str(tier_names[f.tier]),
    }


def dashboard_table(*, region: Region, year: int, table: str, fmt: str) -> HttpResponseBase:
    """The numbers behind one dashboard chart or table."""
    tier_names = dict(Tier.choices)
    figures = selectors.village_figures(region=region, year=year)
    rows: list[dict[str, Any]]
    if table == "villages":
        columns = _village_columns(income=True)
        rows = [
            _village_row(f, tier_names)
            for f in sorted(figures, key=lambda f: f.accumulation, reverse=True)
        ]
    elif table in ("top", "bottom"):
        top, bottom = selectors.ranked_ends(figures)
        columns = [Column("rank", _("rank"), 8), *_village_columns(income=False)]
        rows = [
            {"rank": i, **_village_row(f, tier_names)}
            for i, f in enumerate(top if table == "top" else bottom, start=1)
        ]
    elif table == "tiers":
        summary = selectors.economy_summary(region=region, year=year, figures=figures)
        columns = [Column("tier", _("tier"), 18), Column("villages", _("villages"), 10)]
        rows = [{"tier": str(tier_names[t]), "villages": n} for t, n in summary["tiers"].items()]
    elif table == "distribution":
        columns = [Column("bucket", _("accumulation"), 20), Column("villages", _("villages"), 10)]
        rows = [
            {"bucket": label, "villages": n}
            for label, n in selectors.accumulation_distribution(figures)
        ]
    elif table == "progress":
        columns = [
            Column("year", _("year"), 8),
            Column("accumulation", _("accumulation (yuan)"), 18),
            Column("operating_income", _("operating income (yuan)"), 18),
        ]
        rows = selectors.progress(region=region, through=year)
    elif table == "children":
        columns = [
            Column("code", _("division code"), 16),
            Column("name", _("name"), 14),
            Column("villages", _("villages"), 10),
            Column("accumulation", _("accumulation (yuan)"), 18),
            Column("average", _("average per village (yuan)"), 18),
            Column("operating_income", _("operating income (yuan)"), 18),
        ] + [Column(t, str(tier_names[t]), 10) for t in Tier.values]
        rows = [
            {
                "code": c.code,
                "name": c.name,
                "villages": c.villages,
                "accumulation": c.accumulation,
                "average": c.average,
                "operating_income": c.operating_income,
                **{t: c.tiers.get(t, 0) for t in Tier.values},
            }
            for c in selectors.rollup(region=region, figures=figures)
        ]
    else:
        raise Http404
    return table_response(
        fmt=fmt,
        columns=columns,
        rows=rows,
        filename=f"{region.code}-{year}-{table}",
        sheet=f"{region.name}{year}",
    )


def summary_workbook(*, region: Region, year: int) -> FileResponse:
    """村级集体经济发展情况汇总表: a title, a header, each township's villages followed by its
    subtotal, and the grand total, with yuan to two places."""
    tier_names = dict(Tier.choices)
    figures = selectors.village_figures(region=region, year=year)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book = xlsxwriter.Workbook(tmp, {"in_memory": False})
    sheet = book.add_worksheet(safe_sheet_name(f"{region.name}{year}"))
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2"})
    cell = book.add_format({"border": 1})
    money = book.add_format({"border": 1, "num_format": "#,##0.00"})
    total = book.add_format({"border": 1, "bold": True, "bg_color": "#FFF2CC"})
    total_money = book.add_format(
        {"border": 1, "bold": True, "bg_color": "#FFF2CC", "num_format": "#,##0.00"}
    )
    headers = [
        _("No."),
        _("township"),
        _("village"),
        _("accumulation (yuan)"),
        _("operating income (yuan)"),
        _("tier"),
    ]
    sheet.merge_range(
        0,
        0,
        0,
        len(headers) - 1,
        _("%(region)s: village collective economy at the end of %(year)d")
        % {"region": region.name, "year": year},
        title,
    )
    for col, (text, width) in enumerate(zip(headers, (6, 14, 16, 18, 18, 12), strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(1, col, text, head)
    row = 2
    grand: list[Any] = [Decimal(0), Decimal(0), 0]

    def subtotal(label: str, sums: list[Any]) -> None:
        nonlocal row
        sheet.merge_range(row, 0, row, 2, f"{label} ({sums[2]})", total)
        sheet.write_number(row, 3, float(sums[0]), total_money)
        sheet.write_number(row, 4, float(sums[1]), total_money)
        sheet.write_string(row, 5, "", total)
        row += 1

    township = None
    sums: list[Any] = [Decimal(0), Decimal(0), 0]
    for number, f in enumerate(sorted(figures, key=lambda f: f.code), start=1):
        if township is not None and f.township != township:
            subtotal(_("Subtotal %(township)s") % {"township": township}, sums)
            sums = [Decimal(0), Decimal(0), 0]
        township = f.township
        sheet.write_number(row, 0, number, cell)
        sheet.write_string(row, 1, f.township, cell)
        sheet.write_string(row, 2, f.name, cell)
        sheet.write_number(row, 3, float(f.accumulation), money)
        sheet.write_number(row, 4, float(f.operating_income), money)
        sheet.write_string(row, 5, str(tier_names[f.tier]), cell)
        row += 1
        for s in (sums, grand):
            s[0] += f.accumulation
            s[1] += f.operating_income
            s[2] += 1
    if township is not None:
        subtotal(_("Subtotal %(township)s") % {"township": township}, sums)
    subtotal(_("Total"), grand)
    sheet.freeze_panes(2, 0)
    book.close()
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{region.code}-{year}-summary.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def industry_columns() -> list[Column]:
    """The industries page's export: one line per industry of the catalogue."""
    return [
        Column("industry", _("Industry"), 14),
        Column("kind", _("Kind"), 12),
        Column("villages", _("Villages"), 10),
        Column("area", _("Area (mu)"), 12),
        Column("output", _("Output"), 12),
        Column("value", _("Output value (yuan)"), 16),
        Column("households", _("Households involved"), 12),
    ]


def industry_rows(summary: list[dict[str, Any]]) -> Any:
    return (
        {**r, "industry": r["industry"].name, "kind": r["industry"].get_kind_display()}
        for r in summary
    )


def dividend_columns() -> list[Column]:
    """A plan's dividends, for the village's disclosure board."""
    return [
        Column("household", _("household number"), 20),
        Column("address", _("address"), 24),
        Column("shares", _("member shares"), 12),
        Column("amount", _("dividend (yuan)"), 14),
    ]


def dividend_rows(plan: DistributionPlan) -> Any:
    return (
        {
            "household": d.household.number,
            "address": d.household.address,
            "shares": d.shares,
            "amount": d.amount,
        }
        for d in plan_selectors.plan_payouts(plan)
    )


def plan_columns() -> list[Column]:
    """The plans list's export: one line per plan, as the page shows it."""
    return [
        Column("township", _("Township"), 14),
        Column("village", _("Village"), 14),
        Column("year", _("Year"), 8),
        Column("reserve", _("Reserve"), 14),
        Column("dividend_per_share", _("Dividend per share"), 14),
        Column("status", _("Status"), 16),
    ]


def plan_rows(plans: Any) -> Any:
    return (
        {
            "township": p.organization.village.parent.name if p.organization.village.parent else "",
            "village": p.organization.village.name,
            "year": p.year,
            "reserve": p.reserve,
            "dividend_per_share": p.dividend_per_share,
            "status": str(p.get_status_display()),
        }
        for p in plans
    )


def contract_columns() -> list[Column]:
    """The contracts list's export."""
    return [
        Column("company", _("Company"), 24),
        Column("village", _("Village"), 14),
        Column("kind", _("Kind"), 14),
        Column("starts_on", _("From"), 12),
        Column("ends_on", _("Until"), 12),
        Column("amount", _("Contract amount (yuan)"), 16),
        Column("households", _("Households involved"), 12),
    ]


def contract_rows(contracts: Any) -> Any:
    return (
        {
            "company": c.company.name,
            "village": c.organization.village.name,
            "kind": str(c.get_kind_display()),
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "amount": c.amount,
            "households": c.households,
        }
        for c in contracts
    )


def company_columns() -> list[Column]:
    """The companies list's export."""
    return [
        Column("name", _("Name"), 28),
        Column("kind", _("Kind"), 16),
        Column("uscc", _("Unified social credit code"), 22),
        Column("legal_representative", _("Legal representative"), 12),
        Column("industries", _("Industries"), 16),
    ]


def company_rows(companies: Any) -> Any:
    return (
        {
            "name": c.name,
            "kind": str(c.get_kind_display()),
            "uscc": c.uscc,
            "legal_representative": c.legal_representative,
            "industries": c.industries,
        }
        for c in companies
    )
