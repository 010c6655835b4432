"""The columns of party building's exports (XLSX/CSV), one function per table, so a page's
export and any other reader of the same rows name them once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhenxing.core.web.export import Column
from zhenxing.party.models import Stage


def coverage_columns() -> list[Column]:
    return [
        Column("category", _("Trainee category"), 18),
        Column("village", _("Village"), 16),
        Column("name", pgettext("person", "Name"), 10),
        Column("post", _("Post"), 20),
        Column("started_on", _("Started on"), 12),
    ]


def gap_columns() -> list[Column]:
    return [
        Column("kind", _("Kind"), 12),
        Column("name", _("Name"), 24),
        Column("members", _("Members working there"), 10),
    ]


def organization_columns() -> list[Column]:
    return [
        Column("name", _("Name"), 24),
        Column("kind", _("Kind"), 18),
        Column("region", _("Attached to"), 14),
        Column("members", _("Members"), 8),
    ]


def organization_member_columns() -> list[Column]:
    return [
        Column("name", _("Name"), 10),
        Column("sex", _("Sex"), 6),
        Column("age", _("Age"), 6),
        Column("ethnicity", _("Ethnic group"), 8),
        Column("education", _("Education"), 12),
        Column("stage", _("Stage"), 12),
        Column("applied_on", _("Applied on"), 12),
        Column("probationary_on", _("Admitted on"), 12),
        Column("full_on", _("Full member since"), 12),
    ]


def readiness_columns() -> list[Column]:
    return [
        Column("code", _("Village code"), 14),
        Column("village", _("Village"), 10),
        Column("cadres", _("Cadres in post"), 8),
        Column("one_shoulder", _("Secretary also director"), 8),
        Column("average_age", _("Average age"), 8),
        Column("over_60", _("Over 60"), 8),
        Column("women", _("Women"), 8),
        Column("college", _("College education"), 8),
        Column("term_ends_on", _("Term ends on"), 12),
        Column("reserve_secretary", _("Reserve candidates for secretary"), 10),
        Column("reserve_director", _("Reserve candidates for director"), 10),
        Column("reserve_other", _("Other reserve candidates"), 10),
    ]


def session_columns() -> list[Column]:
    return [
        Column("starts_on", _("From"), 12),
        Column("ends_on", _("Until"), 12),
        Column("course", _("Course"), 24),
        Column("mode", _("Delivery"), 16),
        Column("region", _("Organised by"), 14),
        Column("place", _("Place"), 18),
        Column("trainers", _("Trainers"), 18),
        Column("hours", _("Hours"), 8),
        Column("cancelled", _("Cancelled"), 10),
        Column("attended", _("Attended"), 10),
    ]


def structure_columns() -> list[Column]:
    return [
        Column("dimension", _("Dimension"), 12),
        Column("value", _("Value"), 16),
        Column("n", _("Members"), 10),
    ]


def talent_columns() -> list[Column]:
    return [
        Column("village", _("Village"), 10),
        Column("name", _("Name"), 10),
        Column("source", _("Pool"), 14),
        Column("track", _("Track"), 24),
        Column("progress", _("Progress"), 10),
        Column("reserve_for", _("Reserve for post"), 14),
        Column("mentor", _("Mentor"), 10),
        Column("since", _("In the pool since"), 12),
    ]


def worklist_columns() -> list[Column]:
    return [
        Column("kind", _("Item"), 20),
        Column("name", _("Name"), 10),
        Column("organization", _("Party organisation"), 18),
        Column("stage", _("Stage"), 12),
        Column("due", _("Due"), 12),
        Column("overdue_days", _("Days overdue"), 8),
        Column("note", _("Note"), 30),
    ]


def rollup_columns() -> list[Column]:
    return [
        Column("code", _("Code"), 14),
        Column("name", _("Region"), 14),
        Column("villages", _("Villages"), 8),
        Column("organizations", _("Party organisations"), 10),
        Column("members", _("Members"), 8),
        *[Column(stage, str(label), 10) for stage, label in Stage.choices],
        Column("one_shoulder", _("Secretary also director"), 10),
        Column("one_shoulder_ratio", _("一肩挑 ratio"), 10),
        Column("without_reserve", _("Villages without a reserve secretary"), 12),
        Column("reserves", _("Reserve talent"), 10),
        Column("entrepreneurs", _("Rich-leading entrepreneurs"), 10),
        Column("cadres", _("Cadres"), 8),
        Column("trained", _("Trained this year"), 10),
        Column("training_ratio", _("Training coverage"), 10),
    ]
