"""Mutation check of the scoping matrix: remove scoping from one route at a time and prove
tests/core/test_scoping_matrix.py fails for each.

Each mutant is applied to a temporary copy of src/ (the work tree is never touched), and the
matrix test is run against that copy. Prints one line per mutant and exits non-zero if any
mutant survives. Run: .venv/bin/python scripts/check_scoping_matrix.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "zhenxing"

# (description, [(file under src/zhenxing, old text, new text), ...]); a route's scoping can sit
# in up to three places (the view's lookup, the service's lookup, the post-write re-check), so a
# mutant removes all of them for that route.
SERVICE_UPDATE = (
    "core/regions/services.py",
    'get_for_user(Region.objects.select_for_update(), actor, "change", pk=region.pk)',
    "Region.objects.get(pk=region.pk)",
)
SERVICE_DELETE = (
    "core/regions/services.py",
    'get_for_user(Region.objects.select_for_update(), actor, "delete", pk=region.pk)',
    "Region.objects.get(pk=region.pk)",
)
POST_CHECK = ("core/regions/services.py", "        ensure_still_in_scope(actor, region)\n", "")
PAGE_LOOKUP = (
    "core/regions/views.py",
    "get_for_user(\n"
    '            Region.objects.select_related("parent"), request.user, action, code=code\n'
    "        )",
    "Region.objects.get(code=code)",
)
MUTANTS: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("region pages: lookup", [PAGE_LOOKUP]),
    ("region edit page: lookup + service + re-check", [PAGE_LOOKUP, SERVICE_UPDATE, POST_CHECK]),
    ("region delete page: lookup + service", [PAGE_LOOKUP, SERVICE_DELETE]),
    (
        "region search and API list",
        [
            (
                "core/regions/selectors.py",
                'qs = Region.objects.visible_to(actor).select_related("parent")',
                'qs = Region.objects.all().select_related("parent")',
            )
        ],
    ),
    (
        "API region detail",
        [
            (
                "core/regions/selectors.py",
                "return get_for_user("
                'Region.objects.select_related("parent"), actor, "view", code=code)',
                "return Region.objects.get(code=code)",
            )
        ],
    ),
    (
        "API region patch: lookup + service + re-check",
        [
            (
                "core/regions/api.py",
                'get_for_user(Region.objects.all(), request.user, "change", code=code)',
                "Region.objects.get(code=code)",
            ),
            SERVICE_UPDATE,
            POST_CHECK,
        ],
    ),
    (
        "API region delete: lookup + service",
        [
            (
                "core/regions/api.py",
                'get_for_user(Region.objects.all(), request.user, "delete", code=code)',
                "Region.objects.get(code=code)",
            ),
            SERVICE_DELETE,
        ],
    ),
    (
        "region create: parent lookup + add check",
        [
            (
                "core/regions/api.py",
                "parent = selectors.region_get(actor=request.user, code=payload.parent)",
                "parent = Region.objects.get(code=payload.parent)",
            ),
            (
                "core/scoping.py",
                "    if not Region.objects.visible_to(user).filter(pk=region.pk).exists():\n"
                "        raise NotFound()",
                "    pass",
            ),
        ],
    ),
    (
        "region export",
        [
            (
                "core/regions/selectors.py",
                "Region.objects.visible_to(actor)\n        .filter(subtree_q(region.code))",
                "Region.objects.all()\n        .filter(subtree_q(region.code[:6]))",
            )
        ],
    ),
    (
        "home page and chart export",
        [
            (
                "core/regions/selectors.py",
                "Region.objects.visible_to(actor)\n        .filter(parent=region)",
                "Region.objects.all()\n        .filter(parent__kind=region.kind)",
            )
        ],
    ),
    (
        "home page: active-accounts count",
        [
            (
                "core/home.py",
                "User.objects.visible_to(request.user).filter(is_active=True)",
                "User.objects.filter(is_active=True)",
            )
        ],
    ),
    (
        "account list, page and API",
        [
            (
                "core/accounts/selectors.py",
                "User.objects.visible_to(actor)",
                "User.objects.all()",
            )
        ],
    ),
    (
        "account pages: lookup",
        [
            (
                "core/accounts/views.py",
                'get_for_user(User.objects.select_related("region"), request.user, action, pk=pk)',
                "User.objects.get(pk=pk)",
            )
        ],
    ),
    (
        "audit log page, export and API",
        [
            (
                "core/audit/selectors.py",
                "AuditEntry.objects.visible_to(actor)",
                "AuditEntry.objects.all()",
            )
        ],
    ),
    (
        "party, training and economy pages: the region they show",
        [
            (
                "core/views.py",
                "        return get_for_user(Region.objects.all(), user, code=code)",
                "        return Region.objects.get(code=code)",
            )
        ],
    ),
    (
        "party organisation page: lookup",
        [
            (
                "party/organization_views.py",
                "get_for_user(PartyOrganization.objects.all(), request.user, pk=pk)",
                "PartyOrganization.objects.get(pk=pk)",
            )
        ],
    ),
    (
        "party member page: lookup",
        [
            (
                "party/pipeline_views.py",
                'PartyMember.objects.select_related("person", "organization"), request.user, pk=pk',
                'PartyMember.objects.select_related("person", "organization").filter(pk=pk), '
                "request.user.__class__.objects.filter(role='city_admin').first(), pk=pk",
            )
        ],
    ),
    (
        "party summary API",
        [
            (
                "party/api.py",
                "place = get_for_user(Region.objects.all(), user, code=code)",
                "place = Region.objects.get(code=code)",
            )
        ],
    ),
    (
        "training session page: lookup",
        [
            (
                "party/training_views.py",
                'TrainingSession.objects.select_related("region", "course"), request.user, pk=pk',
                'TrainingSession.objects.select_related("region", "course"), '
                "request.user.__class__.objects.filter(role='city_admin').first(), pk=pk",
            )
        ],
    ),
]


def run(mutations: list[tuple[str, str, str]]) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
        for rel, old, new in mutations:
            path = copy / PKG / rel
            text = path.read_text(encoding="utf-8")
            if old not in text:
                return False, f"mutation no longer applies to {rel}: {old[:60]!r}"
            path.write_text(text.replace(old, new), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=f"{copy}{os.pathsep}{ROOT}")
        result = subprocess.run(  # noqa: S603 - our own interpreter and test file
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                str(ROOT / "tests/core/test_scoping_matrix.py"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        failed = [
            line.split(" - ")[0].split("::")[-1]
            for line in result.stdout.splitlines()
            if line.startswith("FAILED")
        ]
        return result.returncode != 0, ", ".join(failed) or result.stdout.strip()[-200:]


def main() -> int:
    survivors = 0
    for description, mutations in MUTANTS:
        killed, detail = run(mutations)
        survivors += not killed
        print(f"{'killed ' if killed else 'SURVIVED'}  {description:<48} {detail}")
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
