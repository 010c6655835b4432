"""Each dashboard measures what applies to its level: a village its own standing against the
per-village targets and its tier, a township its villages and its share of the city's goals, the
city the city's goals. The top and bottom lists differ, money is in one unit per row, the page
opens on the latest year with books, and the recent postings read in date order."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import openpyxl
from django.urls import reverse

from tests.conftest import client_for, make_region
from tests.economy.conftest import Books, post
from zhenxing.core.regions.models import RegionKind
from zhenxing.economy import services
from zhenxing.economy.selectors import figures as selectors
from zhenxing.economy.services import LineIn, organization_create
from zhenxing.economy.views.dashboard import money_row


def _post_in(
    books: Books,
    organization: Any,
    amount: str,
    *,
    account: str = "301",
    date: dt.date = dt.date(2020, 3, 15),
) -> None:
    """Book ``amount`` into a township A organisation: prepared by the city, posted by the
    township's officer."""
    voucher = services.voucher_prepare(
        actor=books.world.city,
        organization=organization,
        date=date,
        summary="收到土地租金",
        lines=[
            LineIn("102", Decimal(amount), Decimal(0)),
            LineIn(account, Decimal(0), Decimal(amount)),
        ],
    )
    services.voucher_post(actor=books.world.officer_a, voucher=voucher)


def _villages(books: Books, accumulations: list[int]) -> list[Any]:
    """Villages of township A (after 沙坡村 and 竹箐村), one per amount, with books."""
    organizations = []
    for i, amount in enumerate(accumulations):
        village = make_region(
            f"520281004{300 + i}", f"第{i + 1}村", RegionKind.VILLAGE, books.world.township_a
        )
        org = organization_create(
            actor=books.world.city, village=village, name=f"第{i + 1}村合作社"
        )
        if amount:
            _post_in(books, org, str(amount))
        organizations.append(org)
    return organizations


def _page(client: Any, **params: Any) -> tuple[Any, str]:
    response = client.get(reverse("economy:dashboard"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def _charts(body: str) -> dict[str, Any]:
    block = re.search(r'<script id="economy-charts" type="application/json">(.*?)</script>', body)
    assert block is not None
    return json.loads(block.group(1))


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_a_village_is_measured_against_the_per_village_targets_not_the_citys_counts(
    books: Books,
) -> None:
    post(books, [("102", "250000", 0), ("301", 0, "250000")])
    post(books, [("102", "60000", 0), ("501", 0, "60000")])
    response, body = _page(
        client_for(books.world.city), region=books.world.village_a.code, year=2020
    )
    standing = {
        check.key: (check.have, check.want, check.met) for check, _l in response.context["standing"]
    }
    assert standing == {
        "accumulation": (Decimal("310000.00"), Decimal("200000"), True),
        "operating_income": (Decimal("60000.00"), Decimal("50000"), True),
        "strong": (Decimal("310000.00"), Decimal("500000"), False),
        "rich": (Decimal("310000.00"), Decimal("1000000"), False),
    }
    assert 'data-target="accumulation" data-met="yes"' in body
    assert 'data-target="strong" data-met="no"' in body
    assert 'data-figure="tier" data-tier="on_target">达标<' in body
    # Not the city's goals: no "目标数 100", no count of villages, no share of the city's goals.
    assert "目标数" not in body and 'data-target="every_village"' not in body
    assert 'id="shares"' not in body and 'data-figure="villages"' not in body
    # One village has no distribution or ranking of villages to show.
    assert 'id="chart-top"' not in body and 'id="chart-distribution"' not in body


def test_a_township_shows_its_villages_against_the_targets_and_its_share_of_the_citys_goals(
    books: Books,
) -> None:
    post(books, [("102", "600000", 0), ("501", 0, "600000")])  # 沙坡村: strong, on the floor
    _villages(books, [1_200_000])  # a rich village; 竹箐村 has no books
    response, body = _page(
        client_for(books.world.city), region=books.world.township_a.code, year=2020
    )
    assert 'data-level="township"' in body
    targets = response.context["summary"]["targets"]
    assert targets["every_village"] == {"have": 1, "want": 3}  # 第1村 has no operating income
    # Out of its own three villages, not out of the city's goal of 100.
    assert re.search(r'data-target="strong"><td>[^<]*</td><td>2</td><td>3</td>', body)
    assert re.search(r'data-target="rich"><td>[^<]*</td><td>1</td><td>3</td>', body)
    shares = {s.key: (s.city_goal, s.share, s.have) for s in response.context["shares"]}
    # Three of the city's four villages: three quarters of 100 strong and of 20 rich villages.
    assert shares == {"strong": (100, 75, 2), "rich": (20, 15, 1)}
    assert 'data-goal="strong" data-met="no"' in body


def test_the_city_keeps_the_citys_goals(books: Books) -> None:
    post(books, [("102", "600000", 0), ("501", 0, "600000")])
    response, body = _page(client_for(books.world.city), year=2020)
    assert 'data-level="city"' in body and "目标数" in body
    assert re.search(r'data-target="strong"><td>[^<]*</td><td>1</td><td>100</td>', body)
    assert re.search(r'data-target="rich"><td>[^<]*</td><td>0</td><td>20</td>', body)
    assert response.context["shares"] == [] and response.context["standing"] == []


def test_the_top_and_bottom_lists_of_a_township_differ_and_download_their_own_tables(
    books: Books,
) -> None:
    amounts = [700_000, 100_000, 900_000, 300_000, 500_000, 50_000]
    _villages(books, amounts)
    city = client_for(books.world.city)
    _response, body = _page(city, region=books.world.township_a.code, year=2020)
    charts = _charts(body)
    top, bottom = charts["top"], charts["bottom"]
    assert set(top["labels"]).isdisjoint(bottom["labels"])
    assert top["values"] == sorted(top["values"], reverse=True)
    assert bottom["values"] == sorted(bottom["values"])  # the least first
    # Eight villages (with 沙坡村 and 竹箐村, which have none): four at each end.
    assert top["values"] == [900_000, 700_000, 500_000, 300_000]
    assert bottom["values"] == [0, 0, 50_000, 100_000]
    assert "table=top" in body and "table=bottom" in body
    sheets = {}
    for table in ("top", "bottom"):
        response = city.get(
            reverse("economy:dashboard_export"),
            {"region": books.world.township_a.code, "year": 2020, "table": table},
        )
        assert response.status_code == 200
        sheets[table] = _sheet(response)
    assert sheets["top"] != sheets["bottom"]
    assert [r[0] for r in sheets["top"][1:]] == [1, 2, 3, 4]
    assert [Decimal(str(r[4])) for r in sheets["top"][1:]] == [900_000, 700_000, 500_000, 300_000]
    assert [Decimal(str(r[4])) for r in sheets["bottom"][1:]] == [0, 0, 50_000, 100_000]


def test_a_city_ranks_ten_at_each_end() -> None:
    rows = [
        selectors.VillageFigures(i, f"52028100{i:04d}", f"村{i}", "", i, i * 100, 0, "below")
        for i in range(25)
    ]
    top, bottom = selectors.ranked_ends(rows)
    assert [f.accumulation_fen for f in top] == [i * 100 for i in range(24, 14, -1)]
    assert [f.accumulation_fen for f in bottom] == [i * 100 for i in range(10)]


def test_money_is_in_one_unit_per_row() -> None:
    # Beside figures in 万元 a small one is in 万元 too only if it does not read as 0.00.
    assert money_row({"a": Decimal("310000"), "b": Decimal("7062.72")}) == (
        "yuan",
        {"a": "310,000.00", "b": "7,062.72"},
    )
    assert money_row({"a": Decimal("141160000"), "b": Decimal("311750")}) == (
        "¥10,000",
        {"a": "14,116.00", "b": "31.18"},
    )
    assert money_row({"a": Decimal("0"), "b": Decimal("0")})[0] == "yuan"


def test_the_dashboards_row_of_money_has_one_unit(books: Books) -> None:
    post(books, [("102", "300000", 0), ("301", 0, "300000")])
    post(books, [("102", "7062.72", 0), ("501", 0, "7062.72")])
    city = client_for(books.world.city)
    _response, village = _page(city, region=books.world.village_a.code, year=2020)
    # ¥7,062.72 of operating income: the accumulation beside it in yuan too, not in 万元.
    assert 'data-unit="元"' in village and "集体经济积累（元）" in village
    assert ">307,062.72</strong>" in village and ">7,062.72</strong>" in village
    post(books, [("102", "12937.28", 0), ("501", 0, "12937.28")])
    _response, county = _page(city, year=2020)
    assert 'data-unit="万元"' in county and "集体经济积累总额（万元）" in county
    # Total, average per village (of three) and operating income, all in 万元.
    assert (
        ">32.00</strong>" in county and ">10.67</strong>" in county and ">2.00</strong>" in county
    )
    assert "亿" not in county.split('data-unit="万元"')[1].split("</div>")[0]


def test_the_dashboard_opens_on_the_latest_year_with_books(books: Books) -> None:
    post(books, [("102", "1000", 0), ("501", 0, "1000")], date=dt.date(2020, 3, 15))
    post(books, [("102", "1000", 0), ("501", 0, "1000")], date=dt.date(2023, 3, 15))
    city = client_for(books.world.city)
    response, body = _page(city)
    assert response.context["year"] == 2023
    assert '<option value="2023" selected>' in body
    # 龙井村's township has books only in 2020.
    post(books, [("102", "1000", 0), ("501", 0, "1000")], organization=books.org_b)
    response, _body = _page(city, region=books.world.township_b.code)
    assert response.context["year"] == 2020


def test_the_recent_postings_are_in_date_order_newest_first(books: Books) -> None:
    for day in (
        dt.date(2020, 5, 1),
        dt.date(2020, 1, 10),
        dt.date(2020, 9, 30),
        dt.date(2020, 3, 3),
    ):
        post(books, [("102", "100", 0), ("501", 0, "100")], date=day)
    response = client_for(books.world.cadre_a).get(
        reverse("economy:organization_detail", args=[books.org_a.pk])
    )
    dates = [v.date for v in response.context["recent"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4
    assert dates[0] == dt.date(2020, 9, 30)
