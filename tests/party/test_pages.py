"""The party-building pages a township officer and a village cadre use: what they show, what
their forms write (and refuse), what they download, and how many queries they cost."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import World, make_region, valid_id
from tests.party.conftest import Party
from zhenxing.core.regions.models import RegionKind
from zhenxing.party.models import (
    CadrePosition,
    PartyMember,
    PartyOrganization,
    PipelineException,
    ReserveTalent,
    Stage,
)
from zhenxing.party.services import cadres


def sheet_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def applicant(world: World, party: Party) -> PartyMember:
    return PartyMember.objects.create(
        person=party.residents_a[0],
        organization=party.org_a,
        stage=Stage.APPLICANT,
        applied_on=dt.date(2024, 1, 2),
    )


def test_township_dashboard_shows_the_figures_and_drills_down(
    world: World, party: Party, applicant, as_user
) -> None:
    c = as_user(world.officer_a)
    body = c.get(reverse("party:dashboard")).content.decode()
    assert 'data-figure="joint_committees">1<' in body
    assert 'data-figure="members">3<' in body
    assert 'data-figure="villages_without_reserve_secretary">2<' in body
    assert 'data-stage="applicant">1<' in body
    assert "target 90%" in body  # the 一肩挑 target in force (party.policy), as a percentage
    assert f'href="?region={world.village_a.code}' in body
    village = c.get(reverse("party:dashboard"), {"region": world.village_a.code})
    assert village.status_code == 200
    assert 'data-figure="members">3<' in village.content.decode()


def test_dashboard_downloads_its_table_and_the_structure(
    world: World, party: Party, as_user
) -> None:
    c = as_user(world.officer_a)
    rows = sheet_rows(c.get(reverse("party:dashboard"), {"format": "xlsx"}))
    names = [r[1] for r in rows[1:]]
    assert names == [world.village_a.name, world.village_a2.name, world.township_a.name]
    assert rows[-1][4] == 3  # members in the township
    c.cookies["django_language"] = "en"
    structure = sheet_rows(
        c.get(
            reverse("party:dashboard"),
            {"format": "xlsx", "table": "structure"},
        )
    )
    assert ("Sex", "Male", 2) in structure


def test_the_dashboard_page_leaves_the_structure_to_its_script(
    world: World, party: Party, as_user
) -> None:
    c = as_user(world.grid_a)
    c.cookies["django_language"] = "en"
    page = c.get(reverse("party:dashboard")).content.decode()
    assert "part=structure" in page and '"age"' not in page
    # The charts' figures, in the reader's language, for any role that sees the dashboard.
    charts = c.get(reverse("party:dashboard"), {"part": "structure"}).json()
    assert dict(zip(charts["sex"]["labels"], charts["sex"]["values"], strict=True)) == {
        "Male": 2,
        "Female": 1,
    }
    assert sum(charts["age"]["values"]) == 3
    # Scoped like the page: the other township's structure is a 404.
    other = c.get(
        reverse("party:dashboard"), {"part": "structure", "region": world.township_b.code}
    )
    assert other.status_code == 404


def test_grid_worker_cannot_export(world: World, party: Party, as_user) -> None:
    c = as_user(world.grid_a)
    assert c.get(reverse("party:dashboard")).status_code == 200
    assert c.get(reverse("party:dashboard"), {"format": "xlsx"}).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "dashboard",
        "organizations",
        "worklist",
        "readiness",
        "talent",
        "training",
        "training_coverage",
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_party_export_needs_the_export_permission(
    world: World, party: Party, as_user, name: str, fmt: str
) -> None:
    assert as_user(world.grid_a).get(reverse(f"party:{name}"), {"format": fmt}).status_code == 403
    assert (
        as_user(world.officer_a).get(reverse(f"party:{name}"), {"format": fmt}).status_code == 200
    )


def test_worklist_flags_an_overdue_talk(world: World, party: Party, applicant, as_user) -> None:
    body = as_user(world.officer_a).get(reverse("party:worklist")).content.decode()
    assert 'class="overdue" data-kind="talk_overdue"' in body
    assert party.residents_a[0].name in body


def test_a_long_worklist_is_paged_and_the_count_covers_every_page(
    world: World, party: Party, applicant, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's worklist is thousands of items: a page at a time, overdue first, and the
    overdue count in the heading is the whole list's."""
    PartyMember.objects.create(
        person=party.residents_a[1],
        organization=party.org_a,
        stage=Stage.APPLICANT,
        applied_on=dt.date(2024, 3, 2),
    )
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 1)
    client = as_user(world.officer_a)
    first = client.get(reverse("party:worklist")).content.decode()
    second = client.get(reverse("party:worklist"), {"page": 2}).content.decode()
    # The longer overdue (applied first) leads; the other is on page 2.
    assert party.residents_a[0].name in first and party.residents_a[1].name not in first
    assert party.residents_a[1].name in second and party.residents_a[0].name not in second
    assert "2 overdue" in first and "page=2" in first


def test_too_early_step_is_refused_on_the_page_and_nothing_changes(
    world: World, party: Party, applicant, as_user
) -> None:
    applicant.talked_on = dt.date(2024, 1, 10)
    applicant.stage, applicant.activist_on = Stage.ACTIVIST, dt.date(2024, 2, 1)
    applicant.save()
    c = as_user(world.cadre_a)
    url = reverse("party:member_detail", args=[applicant.pk])
    response = c.post(url, {"step": "1", "stage": "target", "on": "2025-01-31"})
    assert response.status_code == 200
    assert "Too early: this step may be taken from 2025-02-01." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.stage == Stage.ACTIVIST
    # The township officer may record the exception, with its reason.
    c = as_user(world.officer_a)
    response = c.post(
        url,
        {
            "step": "1",
            "stage": "target",
            "on": "2025-01-31",
            "introducers": [m.pk for m in party.full_a[:2]],
            "exception_reason": "换届前急需，经乡党委研究同意",
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.stage == Stage.TARGET
    assert PipelineException.objects.get(member=applicant).reason.startswith("换届前急需")


def test_application_is_recorded_by_id_number(world: World, party: Party, as_user) -> None:
    c = as_user(world.cadre_a)
    url = reverse("party:organization_detail", args=[party.org_a.pk])
    response = c.post(url, {"apply": "1", "id_number": valid_id(seq=4), "applied_on": "2024-05-06"})
    assert response.status_code == 302
    member = PartyMember.objects.get(person=party.residents_a[0])
    assert member.stage == Stage.APPLICANT and member.applied_on == dt.date(2024, 5, 6)
    # Someone of another township is not found, even by a valid number.
    response = c.post(
        url, {"apply": "1", "id_number": valid_id(seq=41), "applied_on": "2024-05-06"}
    )
    assert "No registered person in your jurisdiction" in response.content.decode()


def test_readiness_names_villages_without_a_reserve_secretary(
    world: World, party: Party, as_user
) -> None:
    cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[1].person,
        source="returning_graduate",
        track="member_to_cadre",
        reserve_for="party_secretary",
        since=dt.date(2024, 5, 1),
    )
    body = as_user(world.officer_a).get(reverse("party:readiness")).content.decode()
    section = body.split('id="no-reserve"')[1].split("</article>")[0]
    assert world.village_a2.name in section and world.village_a.name not in section


def test_the_citys_readiness_sums_by_township_and_drills_down(
    world: World, party: Party, as_user
) -> None:
    for i, village in enumerate((world.village_a, world.village_a2)):
        cadres.position_appoint(
            actor=world.city,
            village=village,
            person=party.full_a[i].person,
            post="party_secretary",
            started_on=dt.date(2022, 1, 1),
        )
    client = as_user(world.city)
    city = client.get(reverse("party:readiness")).content.decode()
    rows = city.split('id="readiness-by-area"')[1].split("</table>")[0]
    # One row per township, not one per village: township A's two villages, two cadres.
    assert f'data-area="{world.township_a.code}"' in rows
    assert f'data-village="{world.village_a.code}"' not in city
    row = rows.split(f'data-area="{world.township_a.code}"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1] for c in row.split("<td")[1:]]
    assert cells[1].startswith("2<") and cells[2].startswith("2<")
    assert f'href="?region={world.township_a.code}"' in row
    # Drilling down shows the township's villages and their committees.
    township = client.get(reverse("party:readiness"), {"region": world.township_a.code})
    body = township.content.decode()
    assert f'data-village="{world.village_a.code}"' in body and 'id="readiness-by-area"' not in body
    assert party.full_a[0].person.name in body


def test_appointing_an_incompatible_post_shows_why(world: World, party: Party, as_user) -> None:
    c = as_user(world.officer_a)
    url = reverse("party:readiness")
    form = {
        "village": world.village_a.pk,
        "id_number": valid_id(seq=1),
        "post": "party_secretary",
        "started_on": "2022-01-01",
        "source": "entrepreneur",
    }
    assert c.post(url, form).status_code == 302
    response = c.post(url, form | {"post": "supervision_chair", "source": ""})
    assert "cannot be combined" in response.content.decode()
    assert CadrePosition.objects.filter(person=party.full_a[0].person).count() == 1
    # Another township's village is not on the list to choose from.
    response = c.post(url, form | {"village": world.village_b.pk, "post": "director"})
    assert response.status_code == 200 and "village" in response.context["form"].errors
    assert CadrePosition.objects.count() == 1


def test_talent_page_counts_entrepreneurs_against_the_goal(
    world: World, party: Party, as_user
) -> None:
    for person in party.residents_a[:3]:
        cadres.talent_add(
            actor=world.city,
            village=world.village_a,
            person=person,
            source="entrepreneur",
            track="youth_to_member",
            since=dt.date(2024, 3, 1),
        )
    body = as_user(world.officer_a).get(reverse("party:talent")).content.decode()
    assert "1 of 2 villages are short of the goal." in body
    assert f"{world.village_a2.name} (0)" in body


@pytest.mark.parametrize(
    "name",
    ["party:dashboard", "party:worklist", "party:readiness", "party:talent", "party:organizations"],
)
def test_page_query_counts_are_bounded(
    name: str, world: World, party: Party, applicant, as_user, django_assert_max_num_queries
) -> None:
    c = as_user(world.officer_a)
    with django_assert_max_num_queries(30):
        assert c.get(reverse(name)).status_code == 200


def test_person_page_shows_party_membership_and_posts(world: World, party: Party, as_user) -> None:
    person = party.full_a[0].person
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=person,
        post="party_secretary",
        started_on=dt.date(2022, 1, 1),
    )
    body = as_user(world.officer_a).get(reverse("registry:person_detail", args=[person.pk]))
    text = body.content.decode()
    section = text.split('id="party-membership"')[1].split("</dd>")[0]
    assert party.org_a.name in section
    assert "2022-01-01" in text.split('id="posts"')[1].split("</dd>")[0]


def test_township_officer_sets_up_a_joint_committee(world: World, party: Party, as_user) -> None:
    east = make_region("520281004203", "东村", RegionKind.VILLAGE, world.township_a)
    west = make_region("520281004204", "西村", RegionKind.VILLAGE, world.township_a)
    c = as_user(world.officer_a)
    url = reverse("party:organizations")
    form = {
        "organization": "1",
        "name": "东西联村党委",
        "kind": "joint_committee",
        "villages": f"{east.code} {west.code}",
    }
    assert c.post(url, form).status_code == 302
    created = PartyOrganization.objects.get(name="东西联村党委")
    assert created.region == world.township_a
    # A village of the other township is not theirs to include.
    response = c.post(
        url, form | {"name": "越界", "villages": f"{east.code} {world.village_b.code}"}
    )
    assert "No village in your jurisdiction has this code." in response.content.decode()
    assert not PartyOrganization.objects.filter(name="越界").exists()
    # A village cadre cannot set one up.
    assert as_user(world.cadre_a).post(url, form | {"name": "村里"}).status_code == 403


def test_talent_form_adds_a_reserve_secretary(world: World, party: Party, as_user) -> None:
    c = as_user(world.cadre_a)
    form = {
        "village": world.village_a.pk,
        "id_number": valid_id(seq=2),
        "source": "returning_graduate",
        "track": "member_to_cadre",
        "reserve_for": "party_secretary",
        "mentor_id_number": valid_id(seq=1),
        "since": "2024-04-01",
    }
    assert c.post(reverse("party:talent"), form).status_code == 302
    entry = ReserveTalent.objects.get()
    assert entry.mentor == party.full_a[0].person and entry.reserve_for == "party_secretary"
    # A non-member on the track to cadre is refused with the reason.
    response = c.post(reverse("party:talent"), form | {"id_number": valid_id(seq=4)})
    assert "The track to village cadre is for party members." in response.content.decode()
    assert ReserveTalent.objects.count() == 1


def test_a_village_cadre_sets_up_a_1_plus_n_group(world: World, party: Party, as_user) -> None:
    from zhenxing.party.models import FunctionalGroup

    c = as_user(world.cadre_a)
    url = reverse("party:organization_detail", args=[party.org_a.pk])
    leader, *others = party.full_a
    form = {
        "group": "1",
        "name": "刺梨种植党小组",
        "function": "industry",
        "specialty": "刺梨种植",
        "leader": leader.pk,
        "members": [m.pk for m in others],
        "achievements": "带动20户种植刺梨",
    }
    assert c.post(url, form).status_code == 302
    group = FunctionalGroup.objects.get()
    assert group.leader == leader and set(group.members.all()) == set(others)
    assert "刺梨种植党小组" in c.get(url).content.decode()
    # The leader alone is not a 1+N group: the service's reason is shown, nothing written.
    response = c.post(url, form | {"name": "单人小组", "members": [leader.pk]})
    assert "A 1+N group has a leader and at least one other member." in response.content.decode()
    assert FunctionalGroup.objects.count() == 1
    # A grid worker may look but not set one up.
    assert as_user(world.grid_a).post(url, form).status_code == 403


def test_township_officer_registers_a_social_organisation(
    world: World, party: Party, as_user
) -> None:
    from zhenxing.party.models import SocialOrganization

    c = as_user(world.officer_a)
    url = reverse("party:organizations")
    form = {"social": "1", "name": "红果老年人协会", "kind": "协会", "region": world.village_a.code}
    assert c.post(url, form).status_code == 302
    assert SocialOrganization.objects.get().region == world.village_a
    response = c.post(url, form | {"name": "越界协会", "region": world.village_b.code})
    assert "No region in your jurisdiction has this code." in response.content.decode()
    assert SocialOrganization.objects.count() == 1
    assert as_user(world.cadre_a).post(url, form).status_code == 403


def test_a_post_is_ended_from_the_villages_page(world: World, party: Party, as_user) -> None:
    position = cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[0].person,
        post="party_secretary",
        started_on=dt.date(2022, 1, 1),
    )
    c = as_user(world.cadre_a)
    url = reverse("party:readiness") + f"?region={world.village_a.code}"
    assert f'data-position="{position.pk}"' in c.get(url).content.decode()
    assert c.post(url, {"end": position.pk, "ended_on": "2025-12-31"}).status_code == 302
    position.refresh_from_db()
    assert position.ended_on == dt.date(2025, 12, 31)
    # Another township's post answers 404, and nothing changes.
    other = cadres.position_appoint(
        actor=world.city,
        village=world.village_b,
        person=party.full_b.person,
        post="party_secretary",
        started_on=dt.date(2022, 1, 1),
    )
    assert c.post(url, {"end": other.pk, "ended_on": "2025-12-31"}).status_code == 404
    other.refresh_from_db()
    assert other.ended_on is None


def test_reserve_progress_is_recorded_from_the_talent_page(
    world: World, party: Party, as_user
) -> None:
    entry = cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=party.residents_a[0],
        source="entrepreneur",
        track="youth_to_member",
        since=dt.date(2024, 3, 1),
    )
    c = as_user(world.cadre_a)
    response = c.post(reverse("party:talent"), {"entry": entry.pk, "progress": "cultivating"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.progress == "cultivating"
    assert (
        as_user(world.cadre_b)
        .post(reverse("party:talent"), {"entry": entry.pk, "progress": "achieved"})
        .status_code
        == 404
    )


def test_organisations_page_title_is_only_its_title(world: World, party: Party, as_user) -> None:
    body = as_user(world.officer_a).get(reverse("party:organizations")).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert "<form" not in title and "Party organisations" in title


def test_a_member_is_transferred_to_another_branch(world: World, party: Party, as_user) -> None:
    member = party.full_a[2]
    c = as_user(world.officer_a)
    url = reverse("party:member_detail", args=[member.pk])
    assert c.post(url, {"transfer": "1", "organization": party.org_a2.pk}).status_code == 302
    member.refresh_from_db()
    assert member.organization == party.org_a2
    # Another township's branch is not on the list: nothing moves.
    response = c.post(url, {"transfer": "1", "organization": party.org_b.pk})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.organization == party.org_a2
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "<form" not in title


def test_no_party_view_module_reads_scope_or_roles_itself() -> None:
    """Scope, objects and permissions come from the kernel views and the selectors."""
    import pathlib

    import zhenxing.party.views as package

    for module in pathlib.Path(package.__file__).parent.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for name in ("visible_to", "get_for_user", "has_permission", "writable_by"):
            assert name not in text, f"{module.name} calls {name}"


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("talent", {"track": "bogus"}, "track"),
        ("talent", {"source": "nowhere"}, "source"),
        ("worklist", {"kind": "bogus"}, "kind"),
    ],
)
def test_a_bad_filter_on_a_page_is_a_400_naming_it(
    world: World, party: Party, as_user, name: str, params: dict, parameter: str
) -> None:
    response = as_user(world.officer_a).get(reverse(f"party:{name}"), params)
    assert response.status_code == 400
    assert parameter in response.content.decode()
    # The export of the same list refuses the same value.
    export = as_user(world.officer_a).get(reverse(f"party:{name}"), {**params, "format": "csv"})
    assert export.status_code == 400


@pytest.mark.parametrize(("persona", "offered"), [("officer_a", True), ("grid_a", False)])
def test_the_import_link_is_offered_only_to_roles_that_may_import(
    world: World, party: Party, as_user, persona: str, offered: bool
) -> None:
    client = as_user(getattr(world, persona))
    link = reverse("party:import", args=["members"])
    page = client.get(reverse("party:dashboard"))
    assert page.status_code == 200
    assert (f'href="{link}"' in page.content.decode()) is offered
    assert client.get(link).status_code == (200 if offered else 403)


def test_past_the_choices_limit_a_village_is_entered_by_its_code(
    world: World, party: Party, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's 15,000 villages are no select: past the limit the field takes the
    division code, checked against the same scoped list."""
    monkeypatch.setattr("zhenxing.core.web.choices.CHOICES_LIMIT", 1)
    c = as_user(world.officer_a)  # township A: two villages, over a limit of one
    url = reverse("party:readiness")
    page = c.get(url).content.decode()
    field = page.split('name="village"')[0].rsplit("<", 1)[1] + page.split('name="village"')[1]
    assert field.startswith("input") and 'inputmode="numeric"' in field.split(">")[0]
    assert "enter the division code, or open a township's page" in page.replace("&#x27;", "'")
    form = {
        "village": world.village_a.code,
        "id_number": valid_id(seq=1),
        "post": "party_secretary",
        "started_on": "2022-01-01",
        "source": "",
    }
    assert c.post(url, form).status_code == 302
    assert CadrePosition.objects.get().village == world.village_a
    # Another township's village, by its code: refused, nothing written.
    response = c.post(url, form | {"village": world.village_b.code, "post": "director"})
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert "No region in your jurisdiction has this code." in response.content.decode()
    assert CadrePosition.objects.count() == 1
    # Under the limit the same field is a list again.
    monkeypatch.setattr("zhenxing.core.web.choices.CHOICES_LIMIT", 1000)
    assert '<select name="village"' in c.get(url).content.decode()


def test_a_province_sized_list_of_townships_is_paged(
    world: World, party: Party, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The city's readiness sums by township, a page of townships at a time."""
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 1)
    client = as_user(world.city)
    first = client.get(reverse("party:readiness")).content.decode()
    second = client.get(reverse("party:readiness"), {"page": 2}).content.decode()
    codes = sorted([world.township_a.code, world.township_b.code])
    assert f'data-area="{codes[0]}"' in first and f'data-area="{codes[1]}"' not in first
    assert f'data-area="{codes[1]}"' in second and f'data-area="{codes[0]}"' not in second
    assert f"?region={world.county.code}&page=2" in first


def test_past_the_tree_limit_organisations_sum_by_area_and_drill_down(
    world: World, party: Party, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's 15,000 organisations are no tree on one page: a row per township with its
    organisations and members, each opening the township's own tree; the download keeps
    every organisation."""
    monkeypatch.setattr("zhenxing.party.views.organizations.TREE_LIMIT", 2)
    client = as_user(world.city)
    body = client.get(reverse("party:organizations")).content.decode()
    assert 'id="organizations"' not in body and party.org_a.name not in body
    rows = body.split('id="organizations-by-area"')[1].split("</table>")[0]
    row_a = rows.split(f'data-area="{world.township_a.code}"')[1].split("</tr>")[0]
    # Township A: the joint committee and two village branches; three full members.
    assert [c.split("<")[0] for c in row_a.split("<td>")[2:]] == ["3", "3"]
    assert f'href="?region={world.township_a.code}"' in row_a
    assert f'data-area="{world.township_b.code}"' in rows
    monkeypatch.setattr("zhenxing.party.views.organizations.TREE_LIMIT", 3)
    township = client.get(reverse("party:organizations"), {"region": world.township_a.code})
    assert 'id="organizations"' in township.content.decode()  # three: a tree again
    assert party.org_a.name in township.content.decode()
    download = client.get(reverse("party:organizations"), {"format": "xlsx"})
    names = [row[0] for row in sheet_rows(download)]
    assert party.org_a.name in names and party.org_b.name in names


def test_the_dashboards_table_of_areas_is_paged_and_the_download_keeps_all(
    world: World, party: Party, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's root has hundreds of townships: the dashboard's table a page at a time."""
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 1)
    client = as_user(world.city)
    url = reverse("party:dashboard")
    codes = sorted([world.township_a.code, world.township_b.code])
    first = client.get(url).content.decode().split('id="children"')[1]
    second = client.get(url, {"page": 2}).content.decode().split('id="children"')[1]
    assert f'data-code="{codes[0]}"' in first and f'data-code="{codes[1]}"' not in first
    assert f'data-code="{codes[1]}"' in second and f'data-code="{codes[0]}"' not in second
    assert "page=2" in first
    download = [row[0] for row in sheet_rows(client.get(url, {"format": "xlsx"}))]
    assert {world.township_a.code, world.township_b.code} <= set(download)
