"""Editing a household and a person on a 375-px phone, as a village cadre: the Edit button on
each page, plain forms that fit the screen, errors next to their fields, the region-code
warning confirmed with the tick box, and the change in the page's history. A grid worker is
not offered the button."""

from __future__ import annotations

import pytest

from tests.conftest import make_household, make_person, valid_id
from zhenxing.registry.models import Household, Person

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways: {width} px"


def test_a_cadre_edits_a_household_and_a_person_on_a_phone(
    transactional_db, world, open_session, artifacts_dir
):
    household = make_household(world, "HE-0001")
    person = make_person(world, household, "王芳", 3)
    session = open_session(**PHONE)
    page = session.page
    session.login("cadre_a")

    session.goto(f"/registry/households/{household.pk}/")
    with page.expect_navigation():
        page.click("a#edit")
    fits(page)
    page.fill("input[name=labour_count]", "3")
    page.select_option("select[name=water_secure]", "false")
    page.fill("input[name=registered_poor_year]", "2018")
    page.fill("input[name=lifted_year]", "2016")  # before it was registered poor: refused
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    error = page.locator('.field-error[data-field="lifted_year"]')
    assert error.is_visible() and "脱贫" in error.inner_text()
    assert Household.objects.get(pk=household.pk).labour_count == 0  # nothing written
    fits(page)
    page.screenshot(path=str(artifacts_dir / "registry-edit-household-error-375.png"))
    page.fill("input[name=lifted_year]", "2020")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/registry/households/{household.pk}/")
    history = page.locator("details.history").inner_text()
    assert "劳动力人数" in history and "饮水安全有保障" in history
    fits(page)

    session.goto(f"/registry/persons/{person.pk}/")
    with page.expect_navigation():
        page.click("a#edit")
    fits(page)
    form = page.locator("main form").inner_text()
    assert valid_id(seq=3) not in page.content() and person.id_number_masked in form
    page.fill("input[name=occupation]", "木匠")
    page.fill("input[name=phone]", "12345")
    page.fill("input[name=id_number]", valid_id(region="520281", birth="19780612", seq=5))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator('.field-error[data-field="phone"]').is_visible()
    page.fill("input[name=phone]", "13912345678")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    warning = page.locator('.field-error[data-field="id_number"]').inner_text()
    assert "520281" in warning and "1978" in warning  # the era warning, to be confirmed
    fits(page)
    page.screenshot(path=str(artifacts_dir / "registry-edit-person-warning-375.png"))
    page.check("input[name=confirm_warnings]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/registry/persons/{person.pk}/")
    saved = Person.objects.get(pk=person.pk)
    assert saved.occupation == "木匠" and saved.id_number_masked.startswith("520281")
    assert saved.phone_masked.endswith("5678")
    assert "木匠" in page.locator("details.history").inner_text()
    fits(page)
    page.screenshot(path=str(artifacts_dir / "registry-edit-person-saved-375.png"), full_page=True)
    session.assert_offline_and_healthy()


def test_a_grid_worker_is_not_offered_the_edit_button(transactional_db, world, open_session):
    household = make_household(world, "HE-0002")
    person = make_person(world, household, "李梅", 5)
    session = open_session(**PHONE)
    session.login("grid_a")
    for path in (f"/registry/households/{household.pk}/", f"/registry/persons/{person.pk}/"):
        session.goto(path)
        assert session.page.locator("a#edit").count() == 0
        assert session.goto(path + "edit/").status == 403
