"""The party summary table (``VillagePartyFigures``): what the dashboards and the coverage report
above the township add up is what the live reading counts, every write through the services
forgets the rows it changes, and a row of the running year lapses on the day a post starts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import World
from tests.party.conftest import Party
from tests.party.test_training import YEAR, Cadres, schedule
from tests.party.test_training import posts as posts
from zhenxing.party.models import CadrePosition, VillagePartyFigures
from zhenxing.party.selectors import summary
from zhenxing.party.selectors.training import coverage_report, training_coverage
from zhenxing.party.services import cadres, training
from zhenxing.registry import services as registry_services


def _counts(report: dict) -> tuple[int, int, dict[str, tuple[int, int, int]]]:
    return (
        report["cadres"],
        report["trained"],
        {
            row["category"].code: (row["cadres"], row["trained"], row["untrained_count"])
            for row in report["by_category"]
        },
    )


def test_the_city_report_from_the_summary_matches_the_live_reading(
    world: World, posts: Cadres
) -> None:
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
    )
    for year in (YEAR, YEAR - 1):
        from_rows = coverage_report(region=world.county, year=year, names=False)
        live = coverage_report(region=world.county, year=year)
        assert _counts(from_rows) == _counts(live)
        assert [(c["region"].code, c["cadres"], c["trained"]) for c in from_rows["children"]] == [
            (c["region"].code, c["cadres"], c["trained"]) for c in live["children"]
        ]
    # Worked out once and stored: one row per village of the city for each year read.
    assert VillagePartyFigures.objects.filter(year=YEAR).count() == 3
    assert _counts(coverage_report(region=world.county, year=YEAR, names=False))[:2] == (5, 1)


def test_each_write_forgets_the_rows_it_changes(world: World, party: Party, posts: Cadres) -> None:
    def city() -> summary.PartyRollup:
        return summary.rollup(region=world.county, year=YEAR)[0]

    before = city()
    assert (before.cadres, before.trained, before.reserves) == (5, 0, 0)
    # A new cadre in 竹箐村.
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a2,
        person=party.residents_a[3],
        post="committee_member",
        started_on=dt.date(YEAR, 3, 1),
    )
    assert city().cadres == 6
    # Attendance: the director is trained in each village where they hold a post.
    session = schedule(world, dt.date(YEAR, 5, 10))
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[(posts.director, "completed")]
    )
    assert city().trained == 1
    # And taken back.
    training.attendance_record(
        actor=world.cadre_a, session=session, entries=[], removed=[posts.director]
    )
    assert city().trained == 0
    # A post ended before the year: no longer a cadre of it.
    cadres.position_end(actor=world.city, position=posts.member, ended_on=dt.date(YEAR - 1, 6, 30))
    assert city().cadres == 5
    # A reserve candidate for secretary.
    cadres.talent_add(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[1].person,
        source="returning_migrant",
        track="member_to_cadre",
        since=dt.date(YEAR, 1, 1),
        reserve_for="party_secretary",
    )
    after = city()
    assert after.reserves == 1
    assert world.village_a.name not in after.without_reserve_secretary


def test_a_row_of_the_running_year_lapses_on_the_day_a_post_starts(
    world: World, party: Party, posts: Cadres
) -> None:
    starts = dt.date(YEAR, 9, 1)
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a2,
        person=party.residents_a[3],
        post="committee_member",
        started_on=starts,
    )
    day_before = summary.rollup(region=world.county, year=YEAR, today=starts - dt.timedelta(1))
    row = VillagePartyFigures.objects.get(village=world.village_a2, year=YEAR)
    assert (row.as_of, row.stale_on) == (starts - dt.timedelta(1), starts)
    # No write in between: the stored row lapses by itself on the day the post starts.
    on_the_day = summary.rollup(region=world.county, year=YEAR, today=starts)
    township_a = {r.code: r for r in on_the_day[1]}[world.township_a.code]
    assert day_before[0].cadres + 1 == on_the_day[0].cadres
    assert township_a.cadres == 5
    # The live reading agrees on both days.
    assert training_coverage(region=world.county, year=YEAR, today=starts)["cadres"] == (
        on_the_day[0].cadres
    )


def test_the_command_drops_the_rows_and_the_next_read_works_them_out(
    world: World, posts: Cadres
) -> None:
    summary.rollup(region=world.county, year=YEAR)
    assert VillagePartyFigures.objects.filter(year=YEAR).count() == 3
    out = io.StringIO()
    call_command("party_figures", "--forget", "--region", world.township_a.code, stdout=out)
    assert "2 villages" in out.getvalue()
    assert VillagePartyFigures.objects.filter(year=YEAR).count() == 1  # the other township's
    # A correction made in the database, past the services, shows once the rows are dropped.
    CadrePosition.objects.filter(pk=posts.member.pk).update(ended_on=dt.date(YEAR - 1, 1, 1))
    call_command("party_figures", "--forget", stdout=io.StringIO())
    assert VillagePartyFigures.objects.count() == 0
    assert summary.rollup(region=world.county, year=YEAR)[0].cadres == 4
    with pytest.raises(CommandError):
        call_command("party_figures")
    with pytest.raises(CommandError):
        call_command("party_figures", "--forget", "--region", "999999")


def test_a_cadre_in_two_villages_counts_in_each_on_every_page(
    world: World, party: Party, posts: Cadres
) -> None:
    # The committee member of 沙坡村 is also a group leader in 竹箐村.
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a2,
        person=posts.member.person,
        post="group_leader",
        started_on=dt.date(YEAR, 2, 1),
    )
    township = coverage_report(region=world.township_a, year=YEAR)  # live, with names
    city = coverage_report(region=world.county, year=YEAR, names=False)  # the summary rows
    row = next(c for c in city["children"] if c["region"] == world.township_a)
    assert township["cadres"] == row["cadres"] == 5
    groups = next(c for c in township["by_category"] if c["category"].code == "group_leaders")
    assert (groups["cadres"], groups["untrained_count"]) == (2, 2)


def test_readiness_above_the_township_follows_the_registry(
    world: World, party: Party, posts: Cadres
) -> None:
    today = dt.date.today()
    villages = summary.election_readiness(region=world.township_a, today=today)
    expected_posts = sum(len(v.cadres) for v in villages)
    expected_college = sum(v.college for v in villages)
    area = {
        a.area.code: a
        for a in summary.readiness_above_township(region=world.county, today=today).areas
    }[world.township_a.code]
    assert (area.villages, area.cadres, area.college) == (2, expected_posts, expected_college)
    ages = [v.average_age * len({c.person_id for c in v.cadres}) for v in villages if v.cadres]
    persons = sum(len({c.person_id for c in v.cadres}) for v in villages)
    assert area.average_age == pytest.approx(sum(ages) / persons)
    # The director goes to college: the registry's change reaches the city's row at once.
    director = posts.director.person
    assert director.education != "college"
    registry_services.person_update(
        actor=world.city,
        person=director,
        name=director.name,
        ethnicity=director.ethnicity,
        relation=director.relation,
        education="college",
        health=director.health,
        occupation=director.occupation,
    )
    again = {
        a.area.code: a
        for a in summary.readiness_above_township(region=world.county, today=today).areas
    }[world.township_a.code]
    assert again.college == expected_college + 1
