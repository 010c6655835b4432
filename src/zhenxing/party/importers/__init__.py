"""Party members, village cadres and training attendance from Excel (issue 5).

Three imports, each as the registry's and the vouchers' are built: parse every row
(``zhenxing.io.specs``), bind every row to the database by natural key (a person by the keyed
hash of their ID number, a village by its code, an organisation by its name, a session by its
course, first day and organiser), all within the actor's jurisdiction; check every rule, the
ones spanning rows of the file included; and only when no row has an error write everything in
one transaction, audited in bulk. One bad row writes nothing, and the report names every bad row
with its column as the file spells it.

The rules are the services' own (``party.pipeline``, ``party.cadres``, ``party.training``),
applied to a whole file at once. Where a service would accept an approver's exception (a step
before its minimum interval), an import does not: a file cannot carry the approver's decision.

Every import is an upsert: importing the same file twice changes nothing, and a changed cell
updates that field only, with an audit row saying so.
"""

from zhenxing.io.jobs import register_importer
from zhenxing.party.importers.attendance import attendance_spec, import_attendance
from zhenxing.party.importers.cadres import cadre_spec, import_cadres
from zhenxing.party.importers.members import import_members, member_spec

__all__ = [
    "attendance_spec",
    "cadre_spec",
    "import_attendance",
    "import_cadres",
    "import_members",
    "member_spec",
    "register",
]


def register() -> None:
    """Register the party importers with the import framework."""
    register_importer("party_members", member_spec, import_members)
    register_importer("party_cadres", cadre_spec, import_cadres)
    register_importer("party_attendance", attendance_spec, import_attendance)
