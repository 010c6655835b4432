"""Scoping-matrix cases for party-building routes; registered by importing this module from
``tests/core/test_scoping_matrix.py`` (see its ``web`` and ``api_route`` decorators)."""

from __future__ import annotations

from tests.core.test_scoping_matrix import api_route, web  # noqa: F401
