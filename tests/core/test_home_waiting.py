"""The home page lists what waits for its reader, with counts and links: vouchers to approve,
distribution plans to decide, overdue pipeline steps, their own finished or failed imports, and
a grid worker's households. Each rule is the owning app's (``core.waiting`` providers)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, make_household, make_person, make_user
from zhenxing.core.accounts.roles import Role
from zhenxing.core.waiting import WaitingItem, register_waiting, waiting_for
from zhenxing.economy.models import CollectiveOrganization, Voucher
from zhenxing.economy.services import LineIn, distribution, entities, voucher_prepare
from zhenxing.io.models import ImportRun, ImportStatus
from zhenxing.party.models import OrganizationKind, PartyMember, Stage
from zhenxing.party.services import organizations

ITEM = re.compile(
    r'<li data-waiting="(?P<key>[^"]+)"(?P<alert> class="alert")?><a href="(?P<url>[^"]+)">'
    r"<span>(?P<label>[^<]*)</span> <strong data-waiting-count>(?P<count>[^<]+)</strong>"
)


def waiting(client: Any) -> list[dict[str, Any]]:
    """The home page's waiting items, as the reader sees them."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [
        m.groupdict() | {"url": m["url"].replace("&amp;", "&")}
        for m in ITEM.finditer(response.content.decode())
    ]


def in_language(client: Any, language: str) -> Any:
    """The client after the reader chose ``language`` with the switch."""
    assert client.post(reverse("set_language"), {"language": language}).status_code == 302
    return client


def keys(client: Any) -> list[str]:
    return [item["key"] for item in waiting(client)]


@pytest.fixture
def org_a(world: World) -> CollectiveOrganization:
    return entities.organization_create(
        actor=world.city, village=world.village_a, name="沙坡村股份经济合作社"
    )


def draft(world: World, org: CollectiveOrganization, preparer: Any, summary: str) -> Voucher:
    return voucher_prepare(
        actor=preparer,
        organization=org,
        date=timezone.localdate(),
        summary=summary,
        lines=[LineIn("102", "100", 0), LineIn("501", 0, "100")],
    )


def test_the_accountant_sees_the_voucher_another_cadre_prepared(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    accountant = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    voucher = draft(world, org_a, world.cadre_a, "收到鱼塘承包费")
    [item] = waiting(as_user(accountant))
    assert item["key"] == "vouchers" and item["count"] == "1"
    assert org_a.name in item["label"]
    # One voucher: the link opens it, and the approver may post it from there.
    assert item["url"] == reverse("economy:voucher_detail", args=[voucher.pk])
    page = as_user(accountant).get(item["url"]).content.decode()
    assert "收到鱼塘承包费" in page and reverse("economy:voucher_post", args=[voucher.pk]) in page
    # The township station keeps the village's books too (村账乡代管): it sees the draft.
    assert keys(as_user(world.officer_a)) == ["vouchers"]
    # Its preparer may not approve their own voucher; another township, a grid worker and an
    # auditor have nothing to approve.
    for reader in (world.cadre_a, world.officer_b, world.cadre_b, world.grid_a, world.auditor):
        assert "vouchers" not in keys(as_user(reader)), reader.username


def test_several_drafts_link_to_the_organisations_books(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    org_a2 = entities.organization_create(
        actor=world.city, village=world.village_a2, name="竹箐村股份经济合作社"
    )
    cadre_a2 = make_user("cadre_a2", Role.VILLAGE_CADRE, world.village_a2)
    for summary in ("一", "二"):
        draft(world, org_a, world.cadre_a, summary)
    only = draft(world, org_a2, cadre_a2, "三")
    items = waiting(as_user(world.officer_a))
    assert [(i["label"], i["count"], i["url"]) for i in items] == [
        (
            f"待审核的凭证：{org_a.name}",
            "2",
            reverse("economy:organization_detail", args=[org_a.pk]),
        ),
        (
            f"待审核的凭证：{org_a2.name}",
            "1",
            reverse("economy:voucher_detail", args=[only.pk]),
        ),
    ]
    # Posting one leaves one waiting.
    Voucher.objects.filter(pk=only.pk).update(status="posted")
    assert [i["count"] for i in waiting(as_user(world.officer_a))] == ["2"]


def test_distribution_plans_wait_for_the_village_then_the_township(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    accountant = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    plan = distribution.distribution_plan_propose(
        actor=world.cadre_a, organization=org_a, year=2025, reserve="0", dividend_per_share="0"
    )
    detail = reverse("economy:plan_detail", args=[plan.pk])
    # Proposed: another cadre of the village approves (not the proposer, not the township).
    [item] = waiting(as_user(accountant))
    assert (item["key"], item["count"], item["url"]) == ("plans_proposed", "1", detail)
    assert "plans_proposed" not in keys(as_user(world.cadre_a))
    assert keys(as_user(world.officer_a)) == []
    distribution.distribution_plan_approve(actor=accountant, plan=plan)
    # Approved by the village: now the township decides, the village has nothing left to do.
    [item] = waiting(as_user(world.officer_a))
    assert (item["key"], item["count"], item["url"]) == ("plans_village_approved", "1", detail)
    assert item["label"] == "待乡镇决定的收益分配方案"
    assert keys(as_user(world.city)) == ["plans_village_approved"]
    for reader in (accountant, world.cadre_a, world.officer_b, world.auditor_a, world.grid_a):
        assert not [k for k in keys(as_user(reader)) if k.startswith("plans")], reader.username
    distribution.distribution_plan_approve(actor=world.officer_a, plan=plan)
    assert keys(as_user(world.officer_a)) == []


def test_several_plans_link_to_the_list_of_that_stage(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    for year in (2024, 2025):
        distribution.distribution_plan_propose(
            actor=world.cadre_a, organization=org_a, year=year, reserve="0", dividend_per_share="0"
        )
    accountant = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    [item] = waiting(as_user(accountant))
    assert item["count"] == "2"
    assert item["url"] == reverse("economy:plan_list") + "?status=proposed"
    assert as_user(accountant).get(item["url"]).status_code == 200


def test_overdue_pipeline_steps_link_to_the_worklist(world: World, as_user) -> None:
    branch = organizations.organization_create(
        actor=world.city,
        name="沙坡村党支部",
        kind=OrganizationKind.VILLAGE_BRANCH,
        villages=[world.village_a],
    )
    home = make_household(world, "HA-1")
    people = [
        make_person(world, home, name, seq=i + 1, relation="head" if i == 0 else "other")
        for i, name in enumerate(["张德明", "刘玉兰", "王小平", "李春花"])
    ]
    today = timezone.localdate()
    late = today - dt.timedelta(days=90)
    # Two applicants waiting for their talk for three months, one who applied this week, and a
    # probationary member two years on: two talks and one conversion overdue.
    for person in people[:2]:
        PartyMember.objects.create(
            person=person, organization=branch, stage=Stage.APPLICANT, applied_on=late
        )
    PartyMember.objects.create(
        person=people[2], organization=branch, stage=Stage.APPLICANT, applied_on=today
    )
    PartyMember.objects.create(
        person=people[3],
        organization=branch,
        stage=Stage.PROBATIONARY,
        applied_on=today - dt.timedelta(days=1500),
        talked_on=today - dt.timedelta(days=1490),
        activist_on=today - dt.timedelta(days=1400),
        target_on=today - dt.timedelta(days=1000),
        probationary_on=today - dt.timedelta(days=730),
    )
    items = {i["key"]: i for i in waiting(as_user(world.cadre_a))}
    worklist = reverse("party:worklist")
    assert {k: (i["count"], i["url"]) for k, i in items.items()} == {
        "talk_overdue": ("2", f"{worklist}?kind=talk_overdue"),
        "conversion_overdue": ("1", f"{worklist}?kind=conversion_overdue"),
    }
    # The worklist the link opens shows the same two overdue talks.
    page = as_user(world.cadre_a).get(items["talk_overdue"]["url"]).content.decode()
    assert page.count("张德明") + page.count("刘玉兰") >= 2 and "王小平" not in page
    assert set(keys(as_user(world.officer_a))) == {"talk_overdue", "conversion_overdue"}
    # Another township, a grid worker (reads, records nothing) and an auditor: nothing.
    for reader in (world.officer_b, world.cadre_b, world.grid_a, world.auditor):
        assert not {"talk_overdue", "conversion_overdue"} & set(keys(as_user(reader)))


def test_the_readers_own_finished_imports_of_the_last_days(world: World, as_user) -> None:
    now = timezone.now()

    def run(actor: Any, status: str, finished: dt.datetime | None, name: str) -> ImportRun:
        return ImportRun.objects.create(
            kind="households",
            actor=actor,
            region=actor.region,
            filename=name,
            status=status,
            finished_at=finished,
        )

    run(world.cadre_a, ImportStatus.DONE, now - dt.timedelta(days=1), "一月.xlsx")
    latest = run(world.cadre_a, ImportStatus.DONE, now, "二月.xlsx")
    failed = run(world.cadre_a, ImportStatus.REJECTED, now, "错表.xlsx")
    run(world.cadre_a, ImportStatus.DONE, now - dt.timedelta(days=30), "去年.xlsx")  # too old
    run(world.cadre_a, ImportStatus.RUNNING, None, "进行中.xlsx")  # not finished
    run(world.officer_a, ImportStatus.FAILED, now, "别人的.xlsx")  # another person's
    items = waiting(as_user(world.cadre_a))
    assert [(i["key"], i["count"], i["url"], bool(i["alert"])) for i in items] == [
        ("imports_households_done", "2", reverse("io:import_result", args=[latest.pk]), False),
        ("imports_households_rejected", "1", reverse("io:import_result", args=[failed.pk]), True),
    ]
    assert items[0]["label"] == "户与人口导入：已导入"
    assert as_user(world.cadre_a).get(items[1]["url"]).status_code == 200
    assert [i["key"] for i in waiting(as_user(world.officer_a))] == ["imports_households_failed"]


def test_a_grid_worker_sees_the_households_of_their_area(world: World, as_user) -> None:
    for number in ("SP-1", "SP-2", "SP-3"):
        make_household(world, number)
    make_household(world, "ZQ-1", village=world.village_a2)
    make_household(world, "LJ-1", village=world.village_b)
    [item] = waiting(as_user(world.grid_a))
    assert (item["key"], item["count"]) == ("households", "3")
    assert item["label"] == "沙坡村户数"
    assert item["url"] == f"{reverse('registry:household_list')}?village={world.village_a.code}"
    page = as_user(world.grid_a).get(item["url"]).content.decode()
    assert all(n in page for n in ("SP-1", "SP-2", "SP-3")) and "ZQ-1" not in page
    # Other roles' homes show their region's figures, not a household count.
    assert "households" not in keys(as_user(world.officer_a))
    assert "households" not in keys(as_user(world.cadre_a))


def test_nothing_waits_is_said_and_the_home_page_stays_in_the_readers_language(
    world: World, as_user
) -> None:
    body = as_user(world.officer_b).get(reverse("home")).content.decode()
    assert 'data-waiting="none"' in body and "目前没有等待您处理的事项" in body
    for language, title, households in (
        ("en", "Waiting for you", "Households in 沙坡村"),
        ("zh-hant", "待辦事項", "沙坡村戶數"),
    ):
        body = in_language(as_user(world.grid_a), language).get(reverse("home")).content.decode()
        assert title in body and households in body


def test_home_queries_do_not_grow_with_what_waits(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    client = as_user(world.officer_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    draft(world, org_a, world.cadre_a, "一")
    few = count()
    org_a2 = entities.organization_create(
        actor=world.city, village=world.village_a2, name="竹箐村股份经济合作社"
    )
    cadre_a2 = make_user("cadre_a2", Role.VILLAGE_CADRE, world.village_a2)
    for i in range(5):
        draft(world, org_a, world.cadre_a, f"多{i}")
        draft(world, org_a2, cadre_a2, f"多{i}")
    assert count() == few


def test_providers_are_registered_by_the_apps_and_core_imports_none_of_them(
    world: World,
) -> None:
    import zhenxing.core.home as home_module
    import zhenxing.core.waiting as waiting_module

    for module in (home_module, waiting_module):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert not re.search(r"zhenxing\.(economy|party|registry|io)\b", source), module
    # A provider registered later (a new app) joins the list in its position.
    seen: list[Any] = []

    def probe(*, actor: Any) -> list[WaitingItem]:
        seen.append(actor)
        return [WaitingItem("probe", "探针", 7, "/probe/")]

    register_waiting("probe", probe, position=0)
    try:
        assert waiting_for(actor=world.grid_a)[0].key == "probe"
        assert seen == [world.grid_a]
        assert waiting_for(actor=world.outsider) == []  # bound to no region: nothing
    finally:
        waiting_module._PROVIDERS.pop("probe")


# ---- irreversible actions ask first (the browser test clicks through one) ---------------------

CONFIRM = re.compile(
    r'<form method="post" action="(?P<action>[^"]+)" data-confirm="(?P<text>[^"]+)"'
)


def confirms(client: Any, url: str) -> dict[str, str]:
    """``{form action: confirmation text}`` of a page, in English."""
    body = in_language(client, "en").get(url).content.decode()
    assert "/static/js/confirm.js" in body
    return {m["action"]: m["text"] for m in CONFIRM.finditer(body)}


def test_closing_carrying_forward_posting_discarding_and_deciding_ask_for_confirmation(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    cadre = make_user("accountant_a", Role.VILLAGE_CADRE, world.village_a)
    accountant = as_user(cadre)
    reports = reverse("economy:organization_reports", args=[org_a.pk])
    found = confirms(accountant, f"{reports}?year=2025&month=12")
    close = found[reverse("economy:period_close", args=[org_a.pk])]
    assert "Close 2025-12?" in close and "cannot be undone" in close
    carry = found[reverse("economy:carry_forward", args=[org_a.pk])]
    assert "Carry forward the result of 2025?" in carry and "cannot be undone" in carry

    voucher = draft(world, org_a, world.cadre_a, "收到鱼塘承包费")
    found = confirms(accountant, reverse("economy:voucher_detail", args=[voucher.pk]))
    assert "never changes" in found[reverse("economy:voucher_post", args=[voucher.pk])]
    assert "cannot be undone" in found[reverse("economy:voucher_discard", args=[voucher.pk])]

    plan = distribution.distribution_plan_propose(
        actor=world.cadre_a, organization=org_a, year=2025, reserve="0", dividend_per_share="0"
    )
    detail = reverse("economy:plan_detail", args=[plan.pk])
    approve = reverse("economy:plan_approve", args=[plan.pk])
    assert "cannot be withdrawn" in confirms(accountant, detail)[approve]
    distribution.distribution_plan_approve(actor=cadre, plan=plan)
    assert "cannot be undone" in confirms(as_user(world.officer_a), detail)[approve]


def test_the_voucher_form_carries_its_running_totals(
    world: World, as_user, org_a: CollectiveOrganization
) -> None:
    body = (
        as_user(world.cadre_a)
        .get(reverse("economy:voucher_create", args=[org_a.pk]))
        .content.decode()
    )
    assert "data-voucher-totals" in body and "/static/js/voucher_form.js" in body
    for total in ("debit", "credit", "difference"):
        assert f'<output data-total="{total}">0.00</output>' in body
