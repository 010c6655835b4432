"""Histories and the audit log in the reader's words: each field's verbose name, each value's
label (choices, yes or no, foreign keys as stored), and a reveal as "viewed the ID number and
phone", in whichever language the reader chose, from the same stored entry."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from tests.conftest import World, make_household, make_person
from zhenxing.core.audit.models import AuditAction, AuditEntry
from zhenxing.core.audit.presenters import describe_changes, join_words
from zhenxing.registry import services
from zhenxing.registry.models import Household, Person


def in_language(client: Any, language: str) -> Any:
    assert client.post(reverse("set_language"), {"language": language, "next": "/"}).status_code
    return client


def history_of(body: str) -> str:
    start = body.index('<details class="history"')
    return body[start : body.index("</details>", start)]


def changes_cells(body: str) -> list[str]:
    """The text of each entry's changes cell (tags removed)."""
    cells = re.findall(r'<dl class="changes">(.*?)</dl>|<p class="changes">(.*?)</p>', body, re.S)
    return [re.sub(r"<[^>]+>", " ", a or b) for a, b in cells]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def updated_household(world: World) -> Household:
    household = make_household(world, "HL-001")
    return services.household_update(
        actor=world.city,
        household=household,
        labour_count=3,
        water_secure=False,
        food_secure=True,
        monitoring_status="unstable",
    )


def test_a_household_history_names_fields_and_values_in_the_readers_language(
    world: World, as_user: Any
) -> None:
    household = updated_household(world)
    client = as_user(world.city)
    url = reverse("registry:household_detail", args=[household.pk])
    for language in ("zh-hans", "zh-hant", "en"):
        history = text(history_of(in_language(client, language).get(url).content.decode()))
        for key in ("labour_count", "water_secure", "monitoring_status", "unstable", "True"):
            assert key not in history, (language, key)
        for message in (
            "labour force",
            "safe drinking water",
            "enough food",
            "monitoring status",
            "Unstable lifted household",
            "Yes",
            "No",
        ):
            assert t(language, message) in history, (language, message)
    # The English words are English: not a catalogue that happens to echo its keys.
    assert "labour force" in history and "Unstable lifted household" in history


def test_a_person_history_shows_choice_labels_and_foreign_keys_as_stored(
    world: World, as_user: Any
) -> None:
    household = make_household(world, "HL-002")
    person = make_person(world, household, "李明", 1, education="primary")
    client = in_language(as_user(world.city), "en")
    body = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    history = text(history_of(body))
    assert "Primary school" in history and "Head of household" in history
    assert "relation to the head" in history and "education" in history
    assert "HL-002" in history  # the household, a foreign key, by the label stored with it
    assert not re.search(r"→ (primary|head|M)\b", history)
    zh = text(
        history_of(
            in_language(client, "zh-hans")
            .get(reverse("registry:person_detail", args=[person.pk]))
            .content.decode()
        )
    )
    assert t("zh-hans", "Primary school") in zh and t("zh-hans", "relation to the head") in zh


def test_a_reveal_reads_as_viewed_the_id_number_and_phone(world: World, as_user: Any) -> None:
    household = make_household(world, "HL-003")
    person = make_person(world, household, "王芳", 3)
    services.person_reveal(actor=world.city, person=person)
    client = in_language(as_user(world.auditor), "en")
    body = client.get(reverse("audit:audit_list"), {"action": "view_sensitive"}).content.decode()
    assert "viewed the ID number and phone" in text(body)
    assert "id_number" not in text(body) and "fields" not in changes_cells(body)[0]
    zh = text(in_language(client, "zh-hans").get(reverse("audit:audit_list")).content.decode())
    with translation.override("zh-hans"):
        entry = AuditEntry.objects.get(action=AuditAction.VIEW_SENSITIVE)
        sentence = describe_changes(entry).sentence
    assert sentence in zh and t("zh-hans", "ID number") in sentence
    assert "id_number" not in zh


def test_the_audit_log_shows_the_same_labels_as_the_histories(world: World, as_user: Any) -> None:
    updated_household(world)
    client = in_language(as_user(world.auditor), "en")
    body = client.get(reverse("audit:audit_list"), {"action": "update"}).content.decode()
    cells = " ".join(changes_cells(body))
    assert "labour force" in cells and "Unstable lifted household" in cells
    assert "labour_count" not in cells and "True" not in cells


def test_the_audit_export_has_the_changes_in_words_and_as_stored(
    world: World, as_user: Any
) -> None:
    updated_household(world)
    client = in_language(as_user(world.auditor), "en")
    response = client.get(reverse("audit:audit_export"), {"action": "update"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, row = list(book.active.iter_rows(values_only=True))
    described, stored = row[header.index("changes")], row[header.index("changes as stored")]
    assert "labour force: 0 → 3" in described and "Unstable lifted household" in described
    assert '"labour_count": [0, 3]' in stored


def entry_for(model: type, action: str, changes: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        changes=changes,
    )


def test_values_that_are_not_pairs_and_keys_that_are_not_fields(world: World) -> None:
    with translation.override("en"):
        described = describe_changes(
            entry_for(
                Household,
                AuditAction.UPDATE,
                {"lines": [None, [["1001", "5.00", "0"]]], "labour_count": [1, None]},
            )
        )
        by_key = {c.key: c for c in described.changes}
        assert by_key["lines"].label == "lines" and by_key["lines"].after == "1001 5.00 0"
        assert by_key["labour_count"].after == "∅"
        token = describe_changes(entry_for(Person, AuditAction.TOKEN_ISSUE, {"user": "alice"}))
        assert token.changes[0].before is None and token.changes[0].after == "alice"
        assert not describe_changes(entry_for(Person, AuditAction.BULK_CREATE, {"ids": [1, 2]}))


def test_lists_are_joined_as_the_language_joins_them() -> None:
    with translation.override("en"):
        assert join_words(["a", "b", "c"]) == "a, b and c"
        assert join_words(["a"]) == "a"
    with translation.override("zh-hans"):
        assert join_words(["甲", "乙", "丙"]) == "甲、乙和丙"
