"""Members, village cadres and training attendance from Excel: every file checked whole and
written whole, every bad row reported with its column as the file spells it, re-imports
idempotent, the pipeline's intervals at their boundaries, and the jurisdiction's edge.

Files go through the import framework (``import_run_submit``), as an upload does."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, make_household, make_person, run_queued_tasks, valid_id
from tests.party.conftest import Party
from zhenxing.core.audit.models import AuditEntry
from zhenxing.io.jobs import import_run_submit
from zhenxing.io.models import ImportRun
from zhenxing.io.services import run_errors
from zhenxing.io.specs import RowError, normalise_header
from zhenxing.party.models import (
    Attendance,
    CadrePosition,
    Course,
    PartyMember,
    PipelineException,
    Post,
    Stage,
    TrainingSession,
)
from zhenxing.party.rules import add_months
from zhenxing.party.services import cadres, pipeline, training
from zhenxing.party.views import imports as import_views

Table = Sequence[Sequence[str]]


def xlsx(headers: Sequence[str], rows: Table) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, cells in enumerate([headers, *rows]):
        for c, value in enumerate(cells):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Table, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def submit(actor: Any, kind: str, data: bytes, name: str = "roll.xlsx") -> ImportRun:
    """An upload through the framework (small files are imported at once)."""
    return import_run_submit(actor=actor, kind=kind, upload=SimpleUploadedFile(name, data))


def errors(run: ImportRun) -> list[RowError]:
    return run_errors(run)


def where(run: ImportRun) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in errors(run)}


def audited(model: type) -> int:
    return AuditEntry.objects.filter(content_type__model=model._meta.model_name).count()


def pid(seq: int) -> str:
    """The ID number ``tests.conftest.make_person`` gave the fixture's person ``seq``."""
    return valid_id(seq=seq)


# --- members -----------------------------------------------------------------------------------

MEMBER_HEADERS = [
    "身份证号",
    "姓名",
    "党组织名称",
    "阶段",
    "申请入党日期",
    "谈话日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "入党日期",
    "转正日期",
    "入党介绍人1",
    "入党介绍人2",
]


def member_rows() -> list[list[str]]:
    """沙坡村's residents 4–8 at every stage; resident 4 (a full member in this file) introduces
    resident 5 together with a registered full member."""
    return [
        [
            pid(4),
            "李春花",
            "沙坡村党支部",
            "正式党员",
            "2018-03-01",
            "2018-03-20",
            "2018-06-01",
            "2019-06-01",
            "2019-12-01",
            "2020-12-01",
            pid(1),
            pid(2),
        ],
        [
            pid(5),
            "赵国强",
            "沙坡村党支部",
            "預備黨員",  # Traditional, as a Hong Kong-trained clerk might type it
            "2022/3/1",
            "2022-03-15",
            "2022-05-01",
            "2023-05-01",
            "2023-10-01",
            "",
            pid(4),
            pid(3),
        ],
        [
            pid(6),
            "陈美玲",
            "沙坡村党支部",
            "发展对象",
            "2023-01-05",
            "2023-01-20",
            "2023-03-01",
            "2024-03-01",
            "",
            "",
            "",
            "",
        ],
        [pid(7), "杨光", "沙坡村党支部", "activist", "2024-01-10", "2024-01-25", "2024-02-01"]
        + [""] * 5,
        [pid(8), "吴芳", "沙坡村党支部", "入党申请人", "2025年1月10日"] + [""] * 7,
    ]


def member_row(
    seq: int, stage: str, *dates: str, name: str = "", org: str = "沙坡村党支部"
) -> list[str]:
    """A row of the roll: ID number, name, organisation, stage, then the dates given."""
    return [pid(seq), name, org, stage, *dates]


def test_a_clean_member_roll_imports_with_introducers_and_bulk_audit(
    party: Party, world: World
) -> None:
    run = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, member_rows()))
    assert run.status == "done", errors(run)
    assert run.counts == {"members_created": 5, "members_updated": 0, "unchanged": 0}
    stages = dict(
        PartyMember.objects.filter(
            person__name__in=["李春花", "赵国强", "陈美玲", "杨光", "吴芳"]
        ).values_list("person__name", "stage")
    )
    assert stages == {
        "李春花": Stage.FULL,
        "赵国强": Stage.PROBATIONARY,
        "陈美玲": Stage.TARGET,
        "杨光": Stage.ACTIVIST,
        "吴芳": Stage.APPLICANT,
    }
    zhao = PartyMember.objects.get(person__name="赵国强")
    assert zhao.probationary_on == dt.date(2023, 10, 1) and zhao.full_on is None
    assert {i.person.name for i in zhao.introducers.all()} == {"李春花", "王小平"}
    li = PartyMember.objects.get(person__name="李春花")
    assert {i.person.name for i in li.introducers.all()} == {"张德明", "刘玉兰"}
    created = AuditEntry.objects.filter(content_type__model="partymember", action="create")
    assert created.count() == 5
    assert len({e.request_id for e in created}) == 1
    assert {e.source for e in created} == {"import"}
    assert created.get(object_id=str(zhao.pk)).changes["introducers"] == [
        None,
        ["李春花", "王小平"],
    ]


def test_a_bad_member_roll_reports_every_row_and_writes_nothing(party: Party, world: World) -> None:
    r = member_row
    no_full_date = ("2018-03-01", "2018-03-20", "2018-06-01", "2019-06-01", "2019-12-01", "")
    early_target = ("2023-01-05", "2023-01-20", "2023-03-01", "2024-02-01", "", "")
    long_ago = ("2012-01-01", "2012-01-10", "2012-02-01", "2013-03-01", "2014-06-30", "2015-07-01")
    rows = [
        r(99, "入党申请人", "2024-01-01"),  # 2: not registered anywhere
        r(4, "入党申请人", "2024-01-01", org="不存在党支部"),  # 3: no such organisation
        r(5, "正式党员", *no_full_date, pid(1), pid(2)),  # 4: full, without the date of it
        r(6, "积极分子", "2024-01-01", "2024-02-01", "2024-01-15"),  # 5: activist before the talk
        r(7, "入党申请人", "2099-01-01"),  # 6: an application in the future
        # 7: a development target eleven months after becoming an activist; introducer 1 is
        # only an applicant (row 8), introducer 2 is the person themselves
        r(8, "发展对象", *early_target, pid(9), pid(8)),
        r(9, "入党申请人", "2024-05-01", name="周杰"),
        r(41, "入党申请人", "2024-01-01"),  # 9: a resident of the other township, as if unknown
        r(1, "正式党员", *long_ago, name="张冠李戴"),  # 10: the wrong name for the ID number
    ]
    rows = [row + [""] * (len(MEMBER_HEADERS) - len(row)) for row in rows]
    members, entries = PartyMember.objects.count(), AuditEntry.objects.count()
    run = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, rows))
    assert run.status == "rejected"
    assert where(run) == {
        (2, "身份证号"),
        (3, "党组织名称"),
        (4, "转正日期"),
        (5, "确定积极分子日期"),
        (6, "申请入党日期"),
        (7, "确定发展对象日期"),
        (7, "入党介绍人1"),
        (7, "入党介绍人2"),
        (9, "身份证号"),
        (10, "姓名"),
    }
    by_place = {(e.row, e.column): e for e in errors(run)}
    assert by_place[(2, "身份证号")].value == pid(99)[:6] + "********" + pid(99)[-4:]
    assert "registered in your jurisdiction" in by_place[(2, "身份证号")].reason
    assert by_place[(3, "党组织名称")].value == "不存在党支部"
    assert "required" in by_place[(4, "转正日期")].reason
    assert "comes before “谈话日期”" in by_place[(5, "确定积极分子日期")].reason
    assert by_place[(6, "申请入党日期")].value == "2099-01-01"
    assert "future" in by_place[(6, "申请入党日期")].reason
    assert "Too early" in by_place[(7, "确定发展对象日期")].reason
    assert "2024-03-01" in by_place[(7, "确定发展对象日期")].reason
    assert "not a full member" in by_place[(7, "入党介绍人1")].reason
    assert "introduce themselves" in by_place[(7, "入党介绍人2")].reason
    assert "张德明" in by_place[(10, "姓名")].reason
    assert PartyMember.objects.count() == members
    assert AuditEntry.objects.count() == entries


def test_the_same_roll_twice_changes_nothing_and_a_changed_cell_one_field(
    party: Party, world: World
) -> None:
    data = xlsx(MEMBER_HEADERS, member_rows())
    assert submit(world.officer_a, "party_members", data).status == "done"
    members, entries = PartyMember.objects.count(), AuditEntry.objects.count()
    again = submit(world.officer_a, "party_members", data)
    assert again.status == "done"
    assert again.counts == {"members_created": 0, "members_updated": 0, "unchanged": 5}
    assert (PartyMember.objects.count(), AuditEntry.objects.count()) == (members, entries)

    rows = member_rows()
    rows[0][9] = "2020-12-15"  # 李春花's full membership, corrected
    changed = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, rows))
    assert changed.counts == {"members_created": 0, "members_updated": 1, "unchanged": 4}
    entry = AuditEntry.objects.get(content_type__model="partymember", action="update")
    assert entry.changes == {"full_on": ["2020-12-01", "2020-12-15"]}
    assert PartyMember.objects.get(person__name="李春花").full_on == dt.date(2020, 12, 15)


def test_the_minimum_intervals_hold_at_their_boundaries(party: Party, world: World) -> None:
    def row(seq: int, target: str, full: str) -> list[str]:
        # An activist from the last day of February; admitted on the 31st.
        dates = ("2021-01-10", "2021-01-20", "2022-02-28", target, "2023-03-31", full)
        return member_row(seq, "正式党员", *dates, pid(1), pid(2))

    # Exactly twelve months each: accepted (2023-03-31 + 12 months is 2024-03-31).
    exact = submit(
        world.officer_a, "party_members", xlsx(MEMBER_HEADERS, [row(4, "2023-02-28", "2024-03-31")])
    )
    assert exact.status == "done", errors(exact)
    # One day short of either: refused, the first possible day named.
    short = submit(
        world.officer_a,
        "party_members",
        xlsx(
            MEMBER_HEADERS,
            [row(5, "2023-02-27", "2024-03-31"), row(6, "2023-02-28", "2024-03-30")],
        ),
    )
    assert where(short) == {(2, "确定发展对象日期"), (3, "转正日期")}
    reasons = {e.row: e.reason for e in errors(short)}
    assert "from 2023-02-28" in reasons[2] and "from 2024-03-31" in reasons[3]
    assert not PartyMember.objects.filter(person__name__in=["赵国强", "陈美玲"]).exists()


def test_an_approved_exception_stands_but_a_file_cannot_make_one(
    party: Party, world: World
) -> None:
    resident = party.residents_a[0]
    member = PartyMember.objects.create(
        person=resident,
        organization=party.org_a,
        stage=Stage.ACTIVIST,
        applied_on=dt.date(2022, 1, 5),
        talked_on=dt.date(2022, 1, 20),
        activist_on=dt.date(2022, 3, 1),
    )
    pipeline.member_advance(
        actor=world.officer_a,
        member=member,
        stage=Stage.TARGET,
        on=dt.date(2023, 1, 10),
        exception_reason="县委组织部批准提前",
    )
    assert PipelineException.objects.filter(member=member).exists()
    dates = ["2022-01-05", "2022-01-20", "2022-03-01"]
    row = [pid(4), "", "沙坡村党支部", "发展对象", *dates, "2023-01-10", "", "", "", ""]
    same = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, [row]))
    assert same.status == "done" and same.counts["unchanged"] == 1
    row[7] = "2023-01-09"  # another early date: that one nobody approved
    moved = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, [row]))
    assert where(moved) == {(2, "确定发展对象日期")}
    assert "approver" in errors(moved)[0].reason


def test_a_roll_cannot_take_a_member_back_a_stage(party: Party, world: World) -> None:
    row = [pid(1), "", "沙坡村党支部", "预备党员", "2012-01-01", "2012-01-10", "2012-02-01"]
    row += ["2013-03-01", "2014-06-30", "", "", ""]
    run = submit(world.officer_a, "party_members", xlsx(MEMBER_HEADERS, [row]))
    assert where(run) == {(2, "阶段")}
    assert PartyMember.objects.get(person__name="张德明").stage == Stage.FULL


def test_english_and_traditional_headers_are_accepted(party: Party, world: World) -> None:
    headers = ["ID number", "party organisation", "階段", "申請入黨日期"]
    run = submit(
        world.cadre_a,
        "party_members",
        csv_bytes(headers, [[pid(4), "沙坡村党支部", "入黨申請人", "2024-06-01"]]),
        name="roll.csv",
    )
    assert run.status == "done", errors(run)
    assert PartyMember.objects.get(person__name="李春花").stage == Stage.APPLICANT


# --- village cadres ---------------------------------------------------------------------------

CADRE_HEADERS = ["村代码", "身份证号", "姓名", "职务", "任职日期", "任期届满", "离任日期", "来源"]


def cadre_rows(world: World) -> list[list[str]]:
    a, a2 = world.village_a.code, world.village_a2.code
    return [
        [a, pid(1), "张德明", "村党组织书记", "2021-03-15", "", "", "致富带头人"],
        [a, pid(1), "张德明", "村委会主任", "2021-03-15", "", "", ""],  # 一肩挑
        [a, pid(2), "刘玉兰", "副书记", "2021-03-15", "2026-03-14", "", "返鄉大學生"],
        [a, pid(4), "李春花", "委员", "2021-03-15", "", "", ""],
        [a2, pid(5), "赵国强", "村委会主任", "2021-03-15", "", "", ""],
        [a, pid(6), "陈美玲", "村委会主任", "2016-01-01", "", "2021-03-14", "other"],
    ]


def test_a_clean_gb18030_cadre_list_imports(party: Party, world: World) -> None:
    data = csv_bytes(CADRE_HEADERS, cadre_rows(world), encoding="gb18030")
    run = submit(world.officer_a, "party_cadres", data, name="两委.csv")
    assert run.status == "done", errors(run)
    assert run.counts == {"posts_created": 6, "posts_updated": 0, "unchanged": 0}
    secretary = CadrePosition.objects.get(post=Post.PARTY_SECRETARY)
    assert secretary.person.name == "张德明" and secretary.source == "entrepreneur"
    assert secretary.term_ends_on == dt.date(2026, 3, 15)  # five years, from the settings
    deputy = CadrePosition.objects.get(post=Post.PARTY_DEPUTY)
    assert deputy.term_ends_on == dt.date(2026, 3, 14) and deputy.source == "returning_graduate"
    assert CadrePosition.objects.get(person__name="陈美玲").ended_on == dt.date(2021, 3, 14)
    assert CadrePosition.objects.get(person__name="李春花").post == Post.COMMITTEE_MEMBER
    assert audited(CadrePosition) == 6


def test_a_bad_cadre_list_reports_every_row_and_writes_nothing(party: Party, world: World) -> None:
    a, a2, b = world.village_a.code, world.village_a2.code, world.village_b.code
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=party.residents_a[4],  # 吴芳 chairs the supervision committee
        post=Post.SUPERVISION_CHAIR,
        started_on=dt.date(2021, 3, 15),
    )
    rows = [
        [b, pid(41), "", "委员", "2021-03-15", "", "", ""],  # 2: the other township's village
        [a, pid(4), "", "村党组织书记", "2021-03-15", "", "", ""],  # 3: not a party member
        [a, pid(2), "", "副书记", "2021-03-15", "", "", ""],
        [a, pid(2), "", "支委", "2022-01-01", "", "", ""],  # 5: two posts in one body (row 4)
        [a2, pid(5), "", "主任", "2021-03-15", "", "", ""],
        [a2, pid(6), "", "村委会主任", "2023-01-01", "", "", ""],  # 7: a second director
        [a, pid(8), "", "委员", "2021-03-15", "", "", ""],  # 8: watched by the supervision chair
        [a, pid(9), "", "委员", "2021-03-15", "", "2020-01-01", ""],  # 9: ends before it starts
        [a, pid(7), "", "村长助理", "2021-03-15", "", "", ""],  # 10: no such post
    ]
    positions, entries = CadrePosition.objects.count(), AuditEntry.objects.count()
    run = submit(world.officer_a, "party_cadres", xlsx(CADRE_HEADERS, rows))
    assert run.status == "rejected"
    assert where(run) == {
        (2, "村代码"),
        (3, "身份证号"),
        (5, "职务"),
        (7, "职务"),
        (8, "职务"),
        (9, "离任日期"),
        (10, "职务"),
    }
    by_place = {(e.row, e.column): e for e in errors(run)}
    assert by_place[(2, "村代码")].value == b
    assert "party member" in by_place[(3, "身份证号")].reason
    assert "row 4" in by_place[(5, "职务")].reason and by_place[(5, "职务")].value == "支委"
    assert "Row 6" in by_place[(7, "职务")].reason
    assert "already holds Supervision committee chair" in by_place[(8, "职务")].reason
    assert "allowed values" in by_place[(10, "职务")].reason
    assert (CadrePosition.objects.count(), AuditEntry.objects.count()) == (positions, entries)


def test_a_single_seat_taken_in_the_database_is_refused(party: Party, world: World) -> None:
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=party.full_a[0].person,
        post=Post.PARTY_SECRETARY,
        started_on=dt.date(2021, 3, 15),
    )
    rows = [[world.village_a.code, pid(2), "", "书记", "2024-01-01", "", "", ""]]
    run = submit(world.officer_a, "party_cadres", xlsx(CADRE_HEADERS, rows))
    assert where(run) == {(2, "职务")}
    assert "张德明 holds this post" in errors(run)[0].reason
    # Ending the first term in the same file makes room.
    rows.append([world.village_a.code, pid(1), "", "书记", "2021-03-15", "", "2023-12-31", ""])
    handover = submit(world.officer_a, "party_cadres", xlsx(CADRE_HEADERS, rows))
    assert handover.status == "done", errors(handover)
    assert handover.counts == {"posts_created": 1, "posts_updated": 1, "unchanged": 0}


def test_the_same_cadre_list_twice_changes_nothing_and_a_changed_cell_one_field(
    party: Party, world: World
) -> None:
    data = xlsx(CADRE_HEADERS, cadre_rows(world))
    assert submit(world.officer_a, "party_cadres", data).status == "done"
    positions, entries = CadrePosition.objects.count(), AuditEntry.objects.count()
    again = submit(world.officer_a, "party_cadres", data)
    assert again.counts == {"posts_created": 0, "posts_updated": 0, "unchanged": 6}
    assert (CadrePosition.objects.count(), AuditEntry.objects.count()) == (positions, entries)

    rows = cadre_rows(world)
    rows[3][6] = "2024-06-30"  # 李春花 left the committee
    changed = submit(world.officer_a, "party_cadres", xlsx(CADRE_HEADERS, rows))
    assert changed.counts == {"posts_created": 0, "posts_updated": 1, "unchanged": 5}
    entry = AuditEntry.objects.get(content_type__model="cadreposition", action="update")
    assert entry.changes == {"ended_on": [None, "2024-06-30"]}


def test_a_village_cadre_cannot_import_into_a_neighbouring_village(
    party: Party, world: World
) -> None:
    rows = [[world.village_a2.code, pid(5), "", "主任", "2021-03-15", "", "", ""]]
    run = submit(world.cadre_a, "party_cadres", xlsx(CADRE_HEADERS, rows))
    assert where(run) == {(2, "村代码")}
    assert not CadrePosition.objects.exists()


# --- training attendance ---------------------------------------------------------------------

ATTENDANCE_HEADERS = [
    "course code",
    "session start date",
    "organiser region code",
    "village code",
    "ID number",
    "full name",
    "result",
]


def _sessions(party: Party, world: World) -> dict[str, TrainingSession]:
    """Posts in 沙坡村 (张德明 secretary and director, 李春花 committee member) and sessions
    organised by 红果街道: held, cancelled, still to come."""
    for seq, post in ((0, Post.PARTY_SECRETARY), (0, Post.DIRECTOR)):
        cadres.position_appoint(
            actor=world.city,
            village=world.village_a,
            person=party.full_a[seq].person,
            post=post,
            started_on=dt.date(2021, 3, 15),
        )
    cadres.position_appoint(
        actor=world.city,
        village=world.village_a,
        person=party.residents_a[0],
        post=Post.COMMITTEE_MEMBER,
        started_on=dt.date(2021, 3, 15),
    )
    cadres.position_appoint(
        actor=world.city,
        village=world.village_b,
        person=party.resident_b,
        post=Post.COMMITTEE_MEMBER,
        started_on=dt.date(2021, 3, 15),
    )
    c01, c02, c03 = (Course.objects.get(code=c) for c in ("C01", "C02", "C03"))

    def schedule(course: Course, region: Any, day: dt.date) -> TrainingSession:
        return training.session_schedule(
            actor=world.city,
            region=region,
            course=course,
            mode="offline",
            starts_on=day,
            place="红果街道会议室",
            trainers="县委党校",
        )

    held = schedule(c01, world.township_a, dt.date(2024, 5, 8))
    cancelled = schedule(c02, world.township_a, dt.date(2024, 6, 1))
    training.session_cancel(actor=world.city, session=cancelled)
    future = schedule(c03, world.township_a, timezone.localdate() + dt.timedelta(days=30))
    other = schedule(c01, world.township_b, dt.date(2024, 5, 8))
    return {"held": held, "cancelled": cancelled, "future": future, "other": other}


def attendance_rows(world: World) -> list[list[str]]:
    a, township = world.village_a.code, world.township_a.code
    return [
        ["C01", "2024-05-08", township, a, pid(1), "张德明", "合格"],
        ["C01", "2024/5/8", township, a, pid(4), "李春花", "优秀"],
    ]


def test_a_clean_sign_in_sheet_records_attendance(party: Party, world: World) -> None:
    sessions = _sessions(party, world)
    run = submit(
        world.cadre_a, "party_attendance", xlsx(ATTENDANCE_HEADERS, attendance_rows(world))
    )
    assert run.status == "done", errors(run)
    assert run.counts == {"attendance_created": 2, "attendance_updated": 0, "unchanged": 0}
    rows = Attendance.objects.filter(session=sessions["held"]).select_related("position")
    results = {a.position.person.name: (a.position.post, a.result) for a in rows}
    # One attendance for a secretary who is also director, on the secretary's post.
    assert results == {
        "张德明": (Post.PARTY_SECRETARY, "completed"),
        "李春花": (Post.COMMITTEE_MEMBER, "excellent"),
    }
    assert audited(Attendance) == 2


def test_the_same_sheet_twice_changes_nothing_and_a_changed_result_one_row(
    party: Party, world: World
) -> None:
    _sessions(party, world)
    data = xlsx(ATTENDANCE_HEADERS, attendance_rows(world))
    assert submit(world.cadre_a, "party_attendance", data).status == "done"
    entries = AuditEntry.objects.count()
    again = submit(world.cadre_a, "party_attendance", data)
    assert again.counts == {"attendance_created": 0, "attendance_updated": 0, "unchanged": 2}
    assert (Attendance.objects.count(), AuditEntry.objects.count()) == (2, entries)
    rows = attendance_rows(world)
    rows[0][6] = "不合格"
    changed = submit(world.cadre_a, "party_attendance", xlsx(ATTENDANCE_HEADERS, rows))
    assert changed.counts == {"attendance_created": 0, "attendance_updated": 1, "unchanged": 1}
    entry = AuditEntry.objects.get(content_type__model="attendance", action="update")
    assert entry.changes == {"result": ["completed", "failed"]}


def test_attendance_for_a_session_that_did_not_happen_is_refused(
    party: Party, world: World
) -> None:
    sessions = _sessions(party, world)
    a, b, township = world.village_a.code, world.village_b.code, world.township_a.code
    future = sessions["future"].starts_on.isoformat()
    headers = ["课程编号", "开始日期", "举办单位代码", "村代码", "身份证号", "姓名", "结果"]
    rows = [
        ["C01", "2024-05-08", township, a, pid(1), "", "合格"],  # 2: fine on its own
        ["C02", "2024-06-01", township, a, pid(1), "", "合格"],  # 3: cancelled
        ["C03", future, township, a, pid(1), "", "合格"],  # 4: not yet begun
        ["C99", "2024-05-08", township, a, pid(1), "", "合格"],  # 5: no such session
        ["C01", "2024-05-08", township, a, pid(5), "", "合格"],  # 6: holds no post
        ["C01", "2024-05-08", world.township_b.code, b, pid(41), "", ""],  # 7: other township
        ["C01", "2024-05-08", township, a, pid(1), "", "优秀"],  # 8: same person as row 2
    ]
    run = submit(world.officer_a, "party_attendance", xlsx(headers, rows))
    assert run.status == "rejected"
    assert where(run) == {
        (3, "课程编号"),
        (4, "开始日期"),
        (5, "课程编号"),
        (6, "身份证号"),
        (7, "课程编号"),
        (8, "身份证号"),
    }
    reasons = {e.row: e.reason for e in errors(run)}
    assert "cancelled" in reasons[3]
    assert "not taken place yet" in reasons[4]
    assert "no post in this village" in reasons[6]
    assert "row 2" in reasons[8]
    assert not Attendance.objects.exists()


def test_a_township_officer_cannot_record_attendance_in_another_township(
    party: Party, world: World
) -> None:
    sessions = _sessions(party, world)
    # 红果街道's own session, but a 龙井村 cadre: the village is outside the jurisdiction.
    rows = [["C01", "2024-05-08", world.township_a.code, world.village_b.code, pid(41), "", ""]]
    run = submit(world.officer_a, "party_attendance", xlsx(ATTENDANCE_HEADERS, rows))
    assert where(run) == {(2, "village code")}
    assert not Attendance.objects.exists()
    # 亦资街道's officer sees their session and their cadre, and records it.
    rows = [["C01", "2024-05-08", world.township_b.code, world.village_b.code, pid(41), "", ""]]
    run = submit(world.officer_b, "party_attendance", xlsx(ATTENDANCE_HEADERS, rows))
    assert run.status == "done", errors(run)
    assert Attendance.objects.get().session == sessions["other"]


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["members", "cadres", "attendance"])
def test_each_import_page_and_template(kind: str, party: Party, world: World, as_user) -> None:
    cadre = as_user(world.cadre_a)
    page = cadre.get(reverse("party:import", args=[kind]))
    assert page.status_code == 200
    assert reverse("party:import_template", args=[kind]).encode() in page.content
    template = cadre.get(reverse("party:import_template", args=[kind]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    headers = [str(c.value) for c in next(book.worksheets[0].iter_rows(max_row=1))]
    spec = import_views.PAGES[kind].spec()
    # Every header (in the page's language, required ones starred) is one the import reads.
    assert [spec.lookup[normalise_header(h)].key for h in headers] == [f.key for f in spec.fields]
    assert headers[0].startswith("*")


def test_unknown_kinds_and_missing_permissions(party: Party, world: World, as_user) -> None:
    cadre = as_user(world.cadre_a)
    assert cadre.get(reverse("party:import", args=["vouchers"])).status_code == 404
    assert cadre.get(reverse("party:import_template", args=["vouchers"])).status_code == 404
    for kind in ("members", "cadres", "attendance"):
        assert as_user(world.grid_a).get(reverse("party:import", args=[kind])).status_code == 403
        assert as_user(world.auditor).get(reverse("party:import", args=[kind])).status_code == 403


def test_an_upload_redirects_to_the_result_and_is_listed(
    party: Party, world: World, as_user
) -> None:
    client = as_user(world.officer_a)
    upload = SimpleUploadedFile("roll.xlsx", xlsx(MEMBER_HEADERS, member_rows()))
    response = client.post(reverse("party:import", args=["members"]), {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("registry:import_result", args=[run.pk])
    assert run.kind == "party_members" and run.status == "done"
    page = client.get(reverse("party:import", args=["members"]))
    assert reverse("registry:import_result", args=[run.pk]).encode() in page.content
    # The result page counts what this import did and leads back to the members' upload.
    result = client.get(reverse("registry:import_result", args=[run.pk])).content.decode()
    created = run.counts["members_created"]
    assert created > 0
    assert f'data-count="members_created">{created}<' in result
    assert reverse("party:import", args=["members"]) in result
    assert "Households created" not in result


def test_a_large_file_is_imported_by_the_worker(
    party: Party,
    world: World,
    as_user,
    background: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(world.officer_a)
    upload = SimpleUploadedFile("两委.xlsx", xlsx(CADRE_HEADERS, cadre_rows(world)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("party:import", args=["cadres"]), {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == "pending" and not CadrePosition.objects.exists()
    assert run_queued_tasks() == ["SUCCESSFUL"]
    run.refresh_from_db()
    assert run.status == "done" and run.counts["posts_created"] == 6
    assert {e.source for e in AuditEntry.objects.filter(content_type__model="cadreposition")} == {
        "import"
    }


def test_posts_held_until_a_day_count_that_day(world: World) -> None:
    """The overlap rule the importer shares with ``held_on``: both ends count."""
    from zhenxing.party.rules import periods_overlap

    day = dt.date(2024, 1, 1)
    assert periods_overlap(day, day, day, None)
    assert not periods_overlap(day, day, day + dt.timedelta(days=1), None)
    assert periods_overlap(day, None, add_months(day, 60), None)


def test_an_import_costs_the_same_queries_whatever_its_length(party: Party, world: World) -> None:
    """Lookups, writes and audit rows go in bulk: six times the rows, the same queries."""
    home = make_household(world, "HA-Q")
    for i in range(18):
        make_person(world, home, f"党员{i}", seq=200 + i, relation="other")

    def roll(seqs: range) -> bytes:
        rows = []
        for i in seqs:
            days = [f"2018-01-{i + 1:02d}", f"2018-01-{i + 2:02d}", f"2018-03-{i + 1:02d}"]
            days += [f"2019-04-{i + 1:02d}", f"2019-10-{i + 1:02d}", f"2020-11-{i + 1:02d}"]
            rows.append(member_row(200 + i, "正式党员", *days, pid(1), pid(2)))
        return xlsx(MEMBER_HEADERS, rows)

    def posts(seqs: range) -> bytes:
        rows = [[world.village_a.code, pid(200 + i), "", "委员", "2021-03-15"] for i in seqs]
        return xlsx(CADRE_HEADERS[:5], rows)

    for kind, make in (("party_members", roll), ("party_cadres", posts)):
        with CaptureQueriesContext(connection) as small:
            assert submit(world.officer_a, kind, make(range(3))).status == "done"
        with CaptureQueriesContext(connection) as large:
            assert submit(world.officer_a, kind, make(range(3, 18))).status == "done"
        assert len(large) == len(small), kind
