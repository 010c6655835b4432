"""The rows every kernel test reads: every scoped model, in both townships."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.factories import Rows, populate


@pytest.fixture
def rows(world: World) -> Rows:
    return populate(world)
