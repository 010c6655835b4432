"""Every region-scoped model shows each persona exactly the rows under the persona's region
(it replaces tests/core/test_model_scoping.py, which passed over empty tables).

What a persona should see is computed from the region each row was created under
(tests/factories.py), never from the model's ``scope_region_field``: a wrong path cannot set its
own expectation.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.test.utils import isolate_apps

from tests.conftest import World
from tests.factories import Rows, scoped_models
from zhenxing.core.scoping import ScopedQuerySet

#: The personas and what they answer for: the city admin sees the county, each township officer
#: their township, the village cadre their village, the outsider (bound to nothing) nothing.
PERSONAS = ("city", "officer_a", "officer_b", "cadre_a", "cadre_b", "auditor_a", "outsider")

SCOPED = sorted(m._meta.label for m in scoped_models())


def test_the_scoped_models_are_found() -> None:
    # About 32 today; an enumeration that finds none would make every test below vacuous.
    assert len(SCOPED) >= 30, SCOPED


def test_every_model_declares_its_scope() -> None:
    """DESIGN §3: every model is region-scoped or says why it is not."""
    undeclared = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("zhenxing.")
        and getattr(m, "scope_region_field", None) is None
        and not getattr(m, "scope_code_field", None)
        and not getattr(m, "scope_exempt_reason", "")
        and not getattr(m, "catalogue", False)
    ]
    assert undeclared == []


def test_a_model_declaring_a_scope_uses_the_scoped_queryset() -> None:
    declared = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("zhenxing.")
        and (
            getattr(m, "scope_region_field", None) is not None
            or getattr(m, "scope_code_field", None)
        )
    }
    assert declared - set(SCOPED) == set()


@pytest.mark.parametrize("label", SCOPED)
def test_visible_to_is_exactly_the_subtree(world: World, rows: Rows, label: str) -> None:
    model = apps.get_model(label)
    ancestors = bool(getattr(model, "scope_includes_ancestors", False))
    for persona in PERSONAS:
        user = getattr(world, persona)
        code = user.region.code if user.region is not None else None
        expected = rows.expected(label, code, ancestors=ancestors)
        seen = set(model._default_manager.visible_to(user).values_list("pk", flat=True))
        assert seen == expected, (label, persona)
        if persona in ("officer_a", "officer_b", "cadre_a"):
            assert expected, f"{label}: {persona} sees nothing, the check is vacuous"
    assert not model._default_manager.visible_to(None).exists()


def _bad_path_model(path: str) -> type[models.Model]:
    """A scoped model whose ``scope_region_field`` names ``path``, in a throw-away app registry
    (never migrated: only its queryset is built, and a wrong path must fail before any query)."""
    attrs = {
        "__module__": __name__,
        "scope_region_field": path,
        "objects": ScopedQuerySet.as_manager(),
        "Meta": type("Meta", (), {"app_label": "regions", "managed": False}),
    }
    return type("BadScope", (models.Model,), attrs)


@pytest.mark.parametrize("persona", ["outsider", "city", "cadre_a"])
def test_a_wrong_scope_field_fails_for_everyone(world: World, persona: str) -> None:
    """``visible_to`` must resolve the model's scope field before it decides that an outsider
    sees nothing: otherwise a typo in ``scope_region_field`` passes every outsider test."""
    with isolate_apps("zhenxing.core.regions"):
        bad = _bad_path_model("no_such_region")
        with pytest.raises(FieldError):
            list(bad._default_manager.visible_to(getattr(world, persona)))
