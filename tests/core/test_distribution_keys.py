"""The large tables can be distributed by county (Citus, docs/scaling.md).

Each carries a ``county_code`` column, and every uniqueness the database enforces on it
includes ``county_code``: a distributed table can only enforce a unique constraint that contains
its distribution column. A single unique column other than the primary key (``unique=True``, a
one-to-one key) would be enforced across all shards, which Citus refuses.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

#: The tables that grow with the population and its history (app label, model name).
LARGE_MODELS = [
    ("registry", "Household"),
    ("registry", "Person"),
    ("registry", "HouseholdMembership"),
    ("economy", "Voucher"),
    ("economy", "VoucherLine"),
    ("audit", "AuditEntry"),
    ("io", "ImportRun"),
]

KEY = "county_code"


def large_model(label: tuple[str, str]) -> type[models.Model]:
    return apps.get_model(*label)


@pytest.mark.parametrize("label", LARGE_MODELS, ids=lambda label: ".".join(label))
def test_large_model_carries_the_county_code(label: tuple[str, str]) -> None:
    model = large_model(label)
    field = model._meta.get_field(KEY)
    assert isinstance(field, models.CharField) and field.max_length == 6, label
    assert not field.null, f"{label}: a null county code cannot be distributed"


@pytest.mark.parametrize("label", LARGE_MODELS, ids=lambda label: ".".join(label))
def test_every_unique_constraint_includes_the_county_code(label: tuple[str, str]) -> None:
    model = large_model(label)
    missing = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            fields = list(constraint.fields)
            if constraint.expressions or KEY not in fields:
                missing.append(f"{constraint.name} {fields or constraint.expressions}")
    for together in model._meta.unique_together:
        if KEY not in together:
            missing.append(f"unique_together {together}")
    assert missing == [], f"{model._meta.label}: {missing}"


@pytest.mark.parametrize("label", LARGE_MODELS, ids=lambda label: ".".join(label))
def test_no_single_unique_column_but_the_primary_key(label: tuple[str, str]) -> None:
    model = large_model(label)
    unique = [f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    assert unique == [], f"{model._meta.label}: unique columns {unique}"
