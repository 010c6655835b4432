"""What the registry tells the apps above it (they may not be imported from here): persons'
records changed, so a summary another app keeps from them (party building's two committees'
age, sex and education) can forget its rows."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after a person's record (sex, birth date, education, …) was changed, inside the
#: writer's transaction, with ``person_ids``: the persons changed.
persons_changed = Signal()
