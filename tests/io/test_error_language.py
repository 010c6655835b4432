"""Import errors show in the language of whoever reads them: a reason is kept as its
untranslated message and parameters, and translated on the result page, in the error report
and wherever else it is shown; runs kept before then show their text as it was."""

from __future__ import annotations

import io
import pickle
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import EmailValidator, MaxLengthValidator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from tests.conftest import World, valid_id
from tests.registry.test_import import as_csv, person_rows
from zhenxing.io.models import ImportRun
from zhenxing.io.services import import_run_finish, import_run_start, run_errors
from zhenxing.io.specs import (
    Field,
    FieldError,
    ImportSpec,
    Message,
    RowError,
    parse_int,
    validation_reason,
)


def t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_a_message_is_translated_whenever_it_is_shown() -> None:
    with translation.override("zh-hans"):
        message = Message(
            gettext_noop(
                "The required column “%(label)s” is missing: add it to the header row (the "
                "template has it)."
            ),
            {"label": gettext_lazy("household number")},
        )
        made_in = str(message)
    assert message == made_in  # compared and searched as the text it was made as
    with translation.override("en"):
        assert str(message) == (
            "The required column “household number” is missing: add it to the header row "
            "(the template has it)."
        )
    with translation.override("zh-hant"):
        assert str(message) != made_in and t("zh-hant", "household number") in str(message)
    # Through JSON (the run's errors) and pickle (the parallel parser), unchanged.
    again = Message.from_json(message.as_json())
    assert isinstance(again, Message) and again.as_json() == message.as_json()
    assert pickle.loads(pickle.dumps(message)).as_json() == message.as_json()


def test_a_run_stores_messages_and_each_reader_sees_their_language(world: World) -> None:
    spec = ImportSpec(name="t", title="t", fields=[Field("n", "n", required=True, parse=parse_int)])
    with translation.override("zh-hans"):
        parsed = spec.parse([(1, ["n"]), (2, ["x"])])
        run = import_run_start(actor=world.cadre_a, kind="t", filename="t.csv")
        import_run_finish(run, errors=parsed.errors, counts={}, rows=1)
    stored = ImportRun.objects.get(pk=run.pk).errors
    assert stored[0][3] == {"msgid": "A whole number such as 12.", "params": {}}
    for language in ("zh-hans", "zh-hant", "en"):
        with translation.override(language):
            reasons = [str(e.reason) for e in run_errors(ImportRun.objects.get(pk=run.pk))]
        assert reasons == [t(language, "A whole number such as 12.")]


def test_old_runs_plain_text_errors_stay_readable(world: World) -> None:
    run = import_run_start(actor=world.cadre_a, kind="t", filename="t.csv")
    run.errors = [[2, "姓名", "", "此单元格为必填项。"]]
    run.save()
    with translation.override("en"):
        (error,) = run_errors(run)
    assert error == RowError(2, "姓名", "", "此单元格为必填项。")


def test_a_model_validators_message_is_kept_untranslated_too() -> None:
    with translation.override("zh-hans"):
        try:
            EmailValidator()("not an address")
        except ValidationError as exc:
            reason = validation_reason(exc)
        try:
            MaxLengthValidator(3)("abcdef")  # a plural: kept as rendered, still readable
        except ValidationError as exc:
            plural = validation_reason(exc)
    assert isinstance(reason, Message)
    with translation.override("en"):
        assert str(reason) == "Enter a valid email address."
    assert "3" in plural


def upload_with_errors(client: Any, world: World) -> ImportRun:
    rows = person_rows(world, 2)
    rows[0][1] = "52x"  # a village code with a letter in it
    rows[1][4] = "远亲"  # not a relation the registry knows
    client.post(
        reverse("io:import_upload", args=["households"]),
        {"file": SimpleUploadedFile("h.csv", as_csv(rows))},
    )
    return ImportRun.objects.get(kind="households")


def test_the_result_page_and_the_report_follow_the_readers_language(
    world: World, as_user: Any
) -> None:
    client = as_user(world.cadre_a)
    run = upload_with_errors(client, world)  # uploaded in Simplified Chinese
    assert run.status == "rejected"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("io:import_result", args=[run.pk])).content.decode()
    assert "A division code is made of digits." in page
    assert "“远亲” is not one of the allowed values." in page
    assert t("zh-hans", "A division code is made of digits.") not in page
    report = client.get(reverse("io:import_errors", args=[run.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    reasons = [row[3] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert "A division code is made of digits." in reasons
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    page = client.get(reverse("io:import_result", args=[run.pk])).content.decode()
    assert t("zh-hant", "A division code is made of digits.") in page


def test_a_missing_column_is_named_in_the_readers_language(world: World) -> None:
    spec = ImportSpec(
        name="t",
        title="t",
        fields=[
            Field("number", gettext_lazy("household number"), required=True),
            Field("n", "n"),
        ],
    )
    with translation.override("zh-hans"):
        parsed = spec.parse([(1, ["n"]), (2, ["1"])])
        run = import_run_start(actor=world.cadre_a, kind="t", filename="t.csv")
        import_run_finish(run, errors=parsed.errors, counts={}, rows=1)
    with translation.override("en"):
        (error,) = run_errors(ImportRun.objects.get(pk=run.pk))
        assert str(error.column) == "household number"
        assert "“household number” is missing" in str(error.reason)


def test_a_validators_reason_is_stored_as_a_message_and_read_in_each_language(
    world: World, as_user: Any
) -> None:
    """The ID number and phone checks (``registry.validators``) give their reasons as messages:
    a file uploaded in Simplified Chinese reads in English for an English reader."""
    rows = person_rows(world, 2)
    rows[0][3] = "52020219850612"  # 14 characters: the length is a parameter of the reason
    rows[1][6] = "12345"  # not a phone number
    rows[2][3] = rows[2][3][:-1] + ("0" if rows[2][3][-1] != "0" else "1")  # wrong check digit
    rows[3][3] = valid_id(region="520281", birth="19780612", seq=9)  # region not in use yet
    client = as_user(world.cadre_a)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    client.post(
        reverse("io:import_upload", args=["households"]),
        {"file": SimpleUploadedFile("h.csv", as_csv(rows))},
    )
    run = ImportRun.objects.get(kind="households")
    assert run.status == "rejected"
    stored = {error[0]: error[3] for error in run.errors}
    assert stored[2] == {
        "msgid": "An ID number has 18 characters; this one has %(n)d.",
        "params": {"n": 14},
    }
    expected = {
        2: "An ID number has 18 characters; this one has 14.",
        3: "A phone number is 11 digits for a mobile, or an area code and number.",
        4: "The check digit is wrong: a digit was probably mistyped.",
        5: "The region code 520281 was not in use in 1978, the holder's birth year.",
    }
    for language in ("en", "zh-hans"):
        with translation.override(language):
            reasons = {e.row: str(e.reason) for e in run_errors(ImportRun.objects.get(pk=run.pk))}
        assert set(reasons) == set(expected)
        for row, english in expected.items():
            if language == "en":
                assert reasons[row].startswith(english), reasons[row]
            else:
                assert not reasons[row].startswith(english[:20]), reasons[row]
    # The page, for an English reader, says it in English too.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("io:import_result", args=[run.pk])).content.decode()
    assert "An ID number has 18 characters; this one has 14." in page
    assert "The check digit is wrong" in page
    assert t("zh-hans", "The check digit is wrong: a digit was probably mistyped.") not in page


def test_the_party_imports_id_number_reason_is_a_message_too() -> None:
    from zhenxing.party.importers.members import member_spec

    (field,) = [f for f in member_spec().fields if f.key == "id_number"]
    assert field.parse is not None
    with translation.override("zh-hans"):
        try:
            field.parse("123")
        except FieldError as exc:
            reason = exc.reason
    assert isinstance(reason, Message)
    with translation.override("en"):
        assert str(reason) == "An ID number has 18 characters; this one has 3."
    with translation.override("zh-hans"):
        assert str(reason) == t(
            "zh-hans", "An ID number has 18 characters; this one has %(n)d."
        ) % {"n": 3}
