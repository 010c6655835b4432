"""The economy and party dashboards on a 375-px phone, in Simplified Chinese and in English: no
chart's labels run into each other (the bounding boxes of the text ECharts draws in SVG do not
overlap), the tooltip gives a label's full name, and nothing scrolls sideways. A township of
fourteen villages with long names gives the category axes more labels than a phone has room for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_household, make_person, make_region, valid_id
from tests.party.conftest import full_member
from zhenxing.core.regions.models import RegionKind
from zhenxing.economy import services
from zhenxing.economy.services import LineIn, organization_create
from zhenxing.party.models import OrganizationKind
from zhenxing.party.services import cadres, organizations
from zhenxing.registry.choices import Education
from zhenxing.registry.models import Ethnicity

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Both languages on a phone, and English (the longer labels) on a desktop screen.
PASSES = (("zh-hans", "phone", PHONE), ("en", "phone", PHONE), ("en", "desktop", DESKTOP))

# Every chart's visible SVG text boxes, and each pair of them that overlaps by more than a pixel
# each way (ECharts removes or hides the labels it drops: those are not counted).
OVERLAPS = """() => {
  const faults = [];
  let labels = 0;
  for (const chart of document.querySelectorAll(".chart")) {
    const boxes = [];
    for (const text of chart.querySelectorAll("svg text")) {
      const content = text.textContent.trim();
      if (!content) continue;
      const style = getComputedStyle(text);
      const hidden = style.display === "none" || style.visibility === "hidden"
        || +style.opacity === 0 || +(text.getAttribute("opacity") || 1) === 0
        || +(text.getAttribute("fill-opacity") || 1) === 0;
      if (hidden) continue;
      const r = text.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      boxes.push({content, r});
    }
    labels += boxes.length;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) {
          faults.push(`${chart.id}: "${boxes[i].content}" × "${boxes[j].content}"`);
        }
      }
    }
  }
  return {
    faults: faults.slice(0, 8),
    labels,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def _books(world) -> None:
    """Fourteen villages in 红果街道 with long names and different accumulations; in every
    other one a party branch of three members (of each education and two ethnic groups), its
    secretary also director in every fourth."""
    educations = Education.values
    ethnic = list(Ethnicity.objects.order_by("code")[:2])
    for i in range(14):
        village = make_region(
            f"520281004{300 + i}",
            f"红果街道第{i + 1}号示范村" if i % 2 else f"Village{i + 1}LongName",
            RegionKind.VILLAGE,
            world.township_a,
        )
        org = organization_create(actor=world.city, village=village, name=f"第{i + 1}村合作社")
        for date, account, amount in (
            (dt.date(2019, 3, 1), "301", 150_000 + 90_000 * i),
            (dt.date(2020, 3, 1), "501", 20_000 + 7_000 * i),
        ):
            voucher = services.voucher_prepare(
                actor=world.city,
                organization=org,
                date=date,
                summary="收到土地租金",
                lines=[
                    LineIn("102", Decimal(amount), Decimal(0)),
                    LineIn(account, Decimal(0), Decimal(amount)),
                ],
            )
            services.voucher_post(actor=world.officer_a, voucher=voucher)
        if i % 2:
            continue
        branch = organizations.organization_create(
            actor=world.city,
            name=f"第{i + 1}村党支部",
            kind=OrganizationKind.VILLAGE_BRANCH,
            villages=[village],
        )
        home = make_household(world, f"HB-{i}", village)
        for k in range(3):
            seq = i * 3 + k + 1
            person = make_person(
                world,
                home,
                f"党员{seq}",
                seq=seq,
                id_number=valid_id(birth=f"19{60 + seq}0612", seq=seq),
                relation="head" if k == 0 else "other",
                education=educations[seq % len(educations)],
                ethnicity=ethnic[seq % 2],
            )
            full_member(person, branch, dt.date(2010 + k, 7, 1))
            if k == 0 and i % 4 == 0:
                for post in ("party_secretary", "director"):
                    cadres.position_appoint(
                        actor=world.city,
                        village=village,
                        person=person,
                        post=post,
                        started_on=dt.date(2022, 1, 1),
                    )


def _choose(session, language: str) -> None:
    host = urlsplit(session.base_url).hostname
    session.context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )


def test_dashboard_charts_are_readable_on_a_phone(
    transactional_db, world, open_session, artifacts_dir
):
    _books(world)
    # The first of the fourteen: books, and a branch with members.
    township, village = world.township_a.code, "520281004300"
    pages = [
        ("economy-city", "/economy/?year=2020"),
        ("economy-township", f"/economy/?region={township}&year=2020"),
        ("economy-village", f"/economy/?region={village}&year=2020"),
        ("party-city", "/party/"),
        ("party-township", f"/party/?region={township}"),
        ("party-village", f"/party/?region={village}"),
    ]
    faults: list[str] = []
    for language, screen, options in PASSES:
        session = open_session(**options)
        _choose(session, language)
        session.login("city")
        for name, path in pages:
            session.goto(path)
            page = session.page
            # Every chart drawn to the end of its animations (charts.js marks it data-drawn).
            page.wait_for_function(
                "() => [...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)"
            )
            seen = page.evaluate(OVERLAPS)
            where = f"{name} {language} {screen}"
            assert seen["labels"] > 0, f"{where}: no chart drew a label"
            faults += [f"{where}: {f}" for f in seen["faults"]]
            if seen["sideways"] > 0:
                faults.append(f"{where}: scrolls sideways by {seen['sideways']} px")
            page.screenshot(
                path=str(artifacts_dir / f"{screen}-dashboard-{name}-{language}.png"),
                full_page=True,
            )
        session.assert_offline_and_healthy()
    assert faults == []


def test_a_shortened_label_shows_in_full_in_the_tooltip(
    transactional_db, world, open_session, artifacts_dir
):
    _books(world)
    session = open_session(**PHONE)
    _choose(session, "zh-hans")
    session.login("city")
    session.goto(f"/economy/?region={world.township_a.code}&year=2020")
    page = session.page
    chart = page.locator("#chart-top")
    page.wait_for_selector("#chart-top[data-drawn]")
    names = chart.locator("svg text").evaluate_all("texts => texts.map(t => t.textContent)")
    # The richest village is the last (i = 13): 红果街道第14号示范村, shortened on the axis.
    assert "红果街道第14号示范村" not in names and any(n.startswith("红果街道") for n in names)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    # The first bar of a sideways chart is its top row: a tap shows its tooltip.
    page.touchscreen.tap(box["x"] + box["width"] * 0.6, box["y"] + 34)
    tooltip = page.locator("#chart-top div").filter(has_text="红果街道第14号示范村")
    tooltip.first.wait_for(state="visible")
    assert "1,431,000" in tooltip.first.inner_text()
    session.assert_offline_and_healthy()
