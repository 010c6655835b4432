"""Village cadres from Excel (村两委干部)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from zhenxing.core.accounts.roles import has_permission
from zhenxing.core.audit.context import ensure_audit_context
from zhenxing.core.audit.models import AuditAction
from zhenxing.core.audit.services import audit_bulk, diff, snapshot
from zhenxing.core.errors import Forbidden
from zhenxing.core.regions.models import Region
from zhenxing.io.specs import (
    Field,
    ImportOutcome,
    ImportSpec,
    Message,
)
from zhenxing.party import policy as party_policy
from zhenxing.party.importers.common import (
    EXAMPLE_ID,
    ID_ALIASES,
    MAX_BYTES,
    MAX_ROWS,
    POST_WORDS,
    SOURCE_WORDS,
    Progress,
    Rows,
    _choice_parser,
    _chunks,
    _date_field,
    _Errors,
    _finish,
    _hash,
    _id_field,
    _name_field,
    _start,
    _village_field,
    _villages,
    _visible_persons,
)
from zhenxing.party.models import (
    SINGLE_SEAT_POSTS,
    CadrePosition,
    PartyMember,
    Post,
    SecretarySource,
    Stage,
)
from zhenxing.party.rules import (
    add_months,
    holdings_incompatible,
    periods_overlap,
)
from zhenxing.party.rules import cadres as rules
from zhenxing.party.rules import common as common_rules
from zhenxing.party.services import figures
from zhenxing.registry.choices import PersonStatus

# --- village cadres (村两委干部) --------------------------------------------------------------


def cadre_spec() -> ImportSpec:
    """The columns of the village cadres import (and its downloadable template)."""
    return ImportSpec(
        name="party_cadres",
        model="party.cadreposition",
        count_labels=(
            ("posts_created", gettext_lazy("Posts added")),
            ("posts_updated", gettext_lazy("Posts updated")),
            ("unchanged", gettext_lazy("Unchanged")),
        ),
        upload_url_name="party:import",
        upload_url_args=("cadres",),
        done_url_name="party:dashboard",
        done_label=gettext_lazy("Party building"),
        title=gettext_lazy("Village cadres"),
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        fields=[
            _village_field(gettext_lazy("12-digit division code of the village or community.")),
            _id_field(required=True, aliases=ID_ALIASES, example=EXAMPLE_ID),
            _name_field(),
            Field(
                "post",
                gettext_lazy("post"),
                required=True,
                parse=_choice_parser(Post, POST_WORDS),
                aliases=("职务", "职位", "担任职务"),
                example="村党组织书记",
                help=gettext_lazy(
                    "One post per row, such as 村党组织书记, 副书记, 村委会主任, 副主任, 委员 "
                    "(of the villagers' committee), 监委会主任, 第一书记. A secretary who is also "
                    "director takes two rows."
                ),
            ),
            _date_field(
                "started_on",
                gettext_lazy("started on"),
                ("任职日期", "任职时间", "任职开始日期", "上任日期"),
                required=True,
                example="2021-03-15",
            ),
            _date_field(
                "term_ends_on",
                gettext_lazy("term ends on"),
                ("任期届满", "任期届满日期", "任期结束日期"),
                help=gettext_lazy("Optional: the term set in the party-building settings."),
            ),
            _date_field(
                "ended_on",
                gettext_lazy("ended on"),
                ("离任日期", "卸任日期", "免职日期"),
                help=gettext_lazy("Only for a post no longer held."),
            ),
            Field(
                "source",
                gettext_lazy("came from"),
                parse=_choice_parser(SecretarySource, SOURCE_WORDS),
                aliases=("来源", "人员来源", "书记来源"),
                example="致富带头人",
                help=gettext_lazy(
                    "Optional: 致富带头人, 返乡大学生, 退役军人, 返乡农民工, 大学生村官, "
                    "乡村医生, 乡村教师, 长期任职村干部 or 其他."
                ),
            ),
        ],
    )


@dataclass
class CadreImportResult(ImportOutcome):
    posts_created: int = 0
    posts_updated: int = 0
    unchanged: int = 0

    COUNTED = ("posts_created", "posts_updated", "unchanged")


@dataclass(slots=True)
class _Period:
    """A period in post, as it will stand after the import: from the database or a row."""

    row: int  # 0: in the database and not in the file
    village: Region
    person: Any
    post: str
    started_on: dt.date
    ended_on: dt.date | None
    term_ends_on: dt.date | None = None
    source: str = ""
    existing: CadrePosition | None = None

    @property
    def key(self) -> tuple[int, int, str, dt.date]:
        return (self.village.pk, self.person.pk, self.post, self.started_on)


def import_cadres(
    *, actor: Any, rows: Rows, spec: ImportSpec | None = None, progress: Progress | None = None
) -> CadreImportResult:
    """Check a list of village cadres whole, then add or update every post in it, or none.

    A post is the row's (village, person, post, start date); a known one gets the row's term
    end, end date and source (an empty cell keeps what is recorded). The rules are those of
    ``party.cadres.position_appoint``, read over time: a party post needs a party member; no
    person holds two incompatible posts over any common day, whether both are recorded or one
    or both come from this file; a single-seat post has one holder at a time.
    """
    if not (
        has_permission(actor, CadrePosition, "add")
        and has_permission(actor, CadrePosition, "change")
    ):
        raise Forbidden()
    spec = spec or cadre_spec()
    result = CadreImportResult()
    records, error = _start(spec, rows, result)
    if progress:
        progress("checking", result.rows)
    today = timezone.localdate()

    villages = _villages(actor, {r.values["village"] for r in records})
    hashes = {r.row: _hash(r.values["id_number"]) for r in records}
    # Within the jurisdiction, as position_appoint reads them: someone else is not found.
    persons = _visible_persons(actor, hashes.values())
    members = {
        person_id
        for chunk in _chunks([p.pk for p in persons.values()])
        # Probationary members have no right to be elected (预备党员无被选举权).
        for person_id in PartyMember.objects.filter(
            person_id__in=chunk, stage=Stage.FULL
        ).values_list("person_id", flat=True)
    }

    @cache
    def term_years(year: int) -> int:
        return party_policy.policy_int(party_policy.TERM_YEARS, year)

    # Every recorded post that may meet a row: the persons' (anywhere: incompatibility does not
    # stop at the jurisdiction's edge, as in position_appoint) and the single seats of the
    # file's villages.
    recorded: dict[tuple[int, int, str, dt.date], _Period] = {}
    queries = [Q(person_id__in=chunk) for chunk in _chunks([p.pk for p in persons.values()])] + [
        Q(village_id__in=chunk, post__in=SINGLE_SEAT_POSTS)
        for chunk in _chunks([v.pk for v in villages.values()])
    ]
    for query in queries:
        for held in CadrePosition.objects.filter(query).select_related("village", "person"):
            period = _Period(
                row=0,
                village=held.village,
                person=held.person,
                post=held.post,
                started_on=held.started_on,
                ended_on=held.ended_on,
                existing=held,
            )
            recorded[period.key] = period

    rows_in: list[_Period] = []
    for record in records:
        v = record.values
        village = villages.get(v["village"])
        if village is None:
            error(
                record.row,
                "village",
                v["village"],
                Message(gettext_noop("No village in your jurisdiction has this code.")),
            )
            continue  # the person is looked for within the jurisdiction: nothing more to say
        person = persons.get(hashes[record.row])
        if person is None:
            error.id(
                record.row,
                "id_number",
                v["id_number"],
                Message(
                    gettext_noop(
                        "No person with this ID number is registered in your jurisdiction."
                    )
                ),
            )
            continue
        error.name_check(record, person)
        post, started = str(v["post"]), v["started_on"]
        known = recorded.get((village.pk, person.pk, post, started))
        position = known.existing if known else None
        term_ends = v.get("term_ends_on") or (position.term_ends_on if position else None)
        term_ends = term_ends or add_months(started, 12 * term_years(started.year))
        ended = v.get("ended_on") or (position.ended_on if position else None)
        source = str(v.get("source") or (position.source if position else ""))
        if started > today + dt.timedelta(days=366):
            error(
                record.row,
                "started_on",
                started,
                Message(gettext_noop("A term starts at most a year from today.")),
            )
        refusal = rules.term_refusal(started, term_ends)
        if refusal:
            error(record.row, "term_ends_on", term_ends, refusal)
        refusal = rules.end_refusal(started, ended) if ended is not None else None
        if refusal:
            error(record.row, "ended_on", ended, refusal)
        refusal = common_rules.not_registered(person.status == PersonStatus.ACTIVE)
        if position is None and refusal:
            error.id(record.row, "id_number", v["id_number"], refusal)
        refusal = rules.party_post_refusal(post, person.pk in members)
        if refusal:
            error.id(record.row, "id_number", v["id_number"], refusal)
        rows_in.append(
            _Period(
                row=record.row,
                village=village,
                person=person,
                post=post,
                started_on=started,
                ended_on=ended,
                term_ends_on=term_ends,
                source=source,
                existing=position,
            )
        )

    typed = {r.row: r.values["post"].typed for r in records}
    first: dict[tuple[int, int, str, dt.date], int] = {}
    unique: list[_Period] = []
    for period in rows_in:
        if period.key in first:
            error(
                period.row,
                "post",
                typed[period.row],
                Message(
                    gettext_noop("The same post is also on row %(row)d."),
                    {"row": first[period.key]},
                ),
            )
        else:
            first[period.key] = period.row
            unique.append(period)
    _check_posts(unique, recorded, typed, error)
    rows_in = unique

    if not _finish(result) or not rows_in:
        return result
    if progress:
        progress("writing", 0)
    with ensure_audit_context(source="import"), transaction.atomic():
        _write_cadres(actor, rows_in, result)
    return result


def _check_posts(
    rows_in: list[_Period],
    recorded: dict[tuple[int, int, str, dt.date], _Period],
    typed: dict[int, str],
    error: _Errors,
) -> None:
    """Incompatible posts of one person and a second holder of a single seat, over time: each
    conflict reported once, on the later row of the file (or on the row, against a record)."""
    after = dict(recorded) | {p.key: p for p in rows_in}
    by_person: dict[int, list[_Period]] = defaultdict(list)
    by_seat: dict[tuple[int, str], list[_Period]] = defaultdict(list)
    for period in after.values():
        by_person[period.person.pk].append(period)
        if period.post in SINGLE_SEAT_POSTS:
            by_seat[(period.village.pk, period.post)].append(period)

    def reported_elsewhere(period: _Period, other: _Period) -> bool:
        return bool(other.row) and other.row > period.row

    for period in rows_in:
        for other in by_person[period.person.pk]:
            if other is period or not periods_overlap(
                period.started_on, period.ended_on, other.started_on, other.ended_on
            ):
                continue
            if not holdings_incompatible(
                other.post, other.village.pk, period.post, period.village.pk
            ) or reported_elsewhere(period, other):
                continue
            reason = (
                Message(
                    gettext_noop(
                        "%(name)s also holds %(post)s on row %(row)d, which cannot be combined."
                    ),
                    {"name": period.person.name, "post": Post(other.post).label, "row": other.row},
                )
                if other.row
                else rules.combined_refusal(
                    period.person.name, Post(other.post).label, other.village.name
                )
            )
            error(period.row, "post", typed[period.row], reason)
        if period.post not in SINGLE_SEAT_POSTS:
            continue
        for other in by_seat[(period.village.pk, period.post)]:
            if (
                other.person.pk == period.person.pk
                or not periods_overlap(
                    period.started_on, period.ended_on, other.started_on, other.ended_on
                )
                or reported_elsewhere(period, other)
            ):
                continue
            reason = (
                Message(
                    gettext_noop("Row %(row)d gives this post to %(name)s over the same days."),
                    {"row": other.row, "name": other.person.name},
                )
                if other.row
                else rules.seat_taken_refusal(other.person.name)
            )
            error(period.row, "post", typed[period.row], reason)


def _write_cadres(actor: Any, rows_in: list[_Period], result: CadreImportResult) -> None:
    audit: list[tuple[str, models.Model, dict[str, Any]]] = []
    new: list[CadrePosition] = []
    changed: list[tuple[CadrePosition, dict[str, Any]]] = []
    for period in rows_in:
        term_ends = period.term_ends_on
        assert term_ends is not None  # every row of the file has one (only records lack it)
        position = period.existing
        if position is None:
            position = CadrePosition(
                village=period.village,
                person=period.person,
                post=period.post,
                started_on=period.started_on,
                term_ends_on=term_ends,
                ended_on=period.ended_on,
                source=period.source,
            )
            new.append(position)
            continue
        before = snapshot(position)
        position.term_ends_on = term_ends
        position.ended_on = period.ended_on
        position.source = period.source
        changes = diff(before, snapshot(position))
        if changes:
            changed.append((position, changes))
        else:
            result.unchanged += 1
    CadrePosition.objects.bulk_create(new, batch_size=500)
    CadrePosition.objects.bulk_update(
        [p for p, _c in changed], ["term_ends_on", "ended_on", "source"], batch_size=500
    )
    for position in new:
        after = snapshot(position)
        audit.append(
            (
                AuditAction.CREATE,
                position,
                {k: [None, v] for k, v in after.items() if v not in (None, "")},
            )
        )
    audit += [(AuditAction.UPDATE, p, changes) for p, changes in changed]
    audit_bulk(actor=actor, items=audit)
    figures.forget_villages(p.village_id for p in (*new, *(p for p, _c in changed)))
    result.posts_created = len(new)
    result.posts_updated = len(changed)
