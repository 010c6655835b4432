"""Party building's settings in the yearly policy store (issue 12, item 7): each is declared
with its default and source, migration 0003 carries the old ``PartyPolicy`` rows over, and a
value set from a year changes that year on and not the ones before."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps as live_apps

from zhenxing.core.policy.models import PolicyValue
from zhenxing.core.policy.selectors import policy_int
from zhenxing.core.policy.services import policy_set
from zhenxing.party import policy
from zhenxing.party.models import Stage

migration = importlib.import_module("zhenxing.party.migrations.0003_policy_to_store")


def test_every_setting_has_a_default_and_a_source() -> None:
    keys = [s.key for s in policy.SETTINGS]
    assert len(keys) == len(set(keys)) == 7
    assert all(s.key.startswith("party.") and s.source for s in policy.SETTINGS)
    rules = [s for s in policy.SETTINGS if "发展党员工作细则" in s.source]
    assert {s.key for s in rules} == {
        policy.TALK_WITHIN_MONTHS,
        policy.ACTIVIST_MIN_MONTHS,
        policy.PROBATION_MONTHS,
    }


def test_the_defaults_are_read_when_no_value_is_stored(db: None) -> None:
    PolicyValue.objects.filter(key__startswith="party.").delete()
    assert policy_int(policy.TALK_WITHIN_MONTHS, 2024) == 1
    assert policy_int(policy.TERM_YEARS, 2024) == 5
    assert policy.talk_deadline(dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert policy.earliest_step(Stage.FULL, previous=dt.date(2023, 3, 1)) == dt.date(2024, 3, 1)


def test_a_value_from_a_year_leaves_the_years_before(db: None) -> None:
    policy_set(actor="test", key=policy.PROBATION_MONTHS, effective_from=2025, value=18)
    assert policy.earliest_step(Stage.FULL, previous=dt.date(2025, 1, 1)) == dt.date(2026, 7, 1)
    assert policy.earliest_step(Stage.FULL, previous=dt.date(2024, 1, 1)) == dt.date(2025, 1, 1)


def test_the_migration_carries_the_old_rows_into_the_store(db: None) -> None:
    old = [
        SimpleNamespace(key="talk_within_months", effective_from=2014, value=1),
        SimpleNamespace(key="term_years", effective_from=2018, value=5),
        SimpleNamespace(key="term_years", effective_from=2026, value=3),
    ]

    class Rows:
        def order_by(self, *fields: str) -> list[SimpleNamespace]:
            return old

    stub = SimpleNamespace(
        get_model=lambda app, name: (
            SimpleNamespace(objects=Rows())
            if name == "PartyPolicy"
            else live_apps.get_model(app, name)
        )
    )
    # The test database was migrated: 0002's rows went through 0003 into the store.
    migrated = PolicyValue.objects.filter(key__startswith="party.")
    assert migrated.filter(key=policy.PROBATION_MONTHS, effective_from=2014, value=12).exists()
    migrated.delete()
    migration.forwards(stub, None)
    stored = {
        (r.key, r.effective_from): r.value
        for r in PolicyValue.objects.filter(key__startswith="party.")
    }
    assert stored == {
        ("party.talk_within_months", 2014): Decimal(1),
        ("party.term_years", 2018): Decimal(5),
        ("party.term_years", 2026): Decimal(3),
    }
    assert policy_int(policy.TERM_YEARS, 2025) == 5
    assert policy_int(policy.TERM_YEARS, 2026) == 3
