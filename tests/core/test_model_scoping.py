"""DESIGN §3: every model is region-scoped (with `.visible_to`) or says why it is not."""

from __future__ import annotations

from django.apps import apps

from tests.conftest import World


def project_models() -> list[type]:
    return [m for m in apps.get_models() if m.__module__.startswith("zhenxing.")]


def test_every_model_declares_its_scope() -> None:
    undeclared = [
        m.__name__
        for m in project_models()
        if getattr(m, "scope_region_field", None) is None
        and not getattr(m, "scope_code_field", None)
        and not getattr(m, "scope_exempt_reason", "")
        and not getattr(m, "catalogue", False)
    ]
    assert undeclared == []


def test_every_region_scoped_model_restricts_to_the_subtree(world: World) -> None:
    scoped = [
        m
        for m in project_models()
        if getattr(m, "scope_region_field", None) is not None
        or getattr(m, "scope_code_field", None)
    ]
    assert scoped, "no region-scoped models found"
    for model in scoped:
        qs = model._default_manager.all()
        assert hasattr(qs, "visible_to"), model
        assert not qs.visible_to(world.outsider).exists(), model
        assert not qs.visible_to(None).exists(), model
