"""Mutation check of the scoping tests: remove scoping (or a permission check) from one place
at a time and prove tests/core/test_scoping_matrix.py or tests/kernel/test_routes.py fails.

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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "zhenxing"

# (file under src/zhenxing, old text, new text). A route's scoping can sit in up to three places
# (the view's lookup, the service's lookup, the post-write re-check), so a mutant removes all of
# them for that route. A check behind the kernel's own (a selector's visible_to under a
# ScopedListView, which narrows again) is defence in depth: removing it alone changes nothing
# observable, so it has no mutant of its own.
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
LIST_RESCOPE = (
    "core/web/views.py",
    "return queryset.visible_to(self.request.user)",
    "return queryset",
)
API_RESCOPE = ("core/api.py", "queryset = queryset.visible_to(user)", "queryset = queryset")
MATRIX = "tests/core/test_scoping_matrix.py"
ROUTES = "tests/kernel/test_routes.py"

# (description, mutations, test files that must fail). The kernel's mutants remove scoping or
# a permission check from the one place every app's pages, exports and API go through, so
# every object lookup and every export (registry, economy, party, io) is covered by them.
MUTANTS: list[tuple[str, list[tuple[str, str, str]], list[str]]] = [
    (
        "kernel: every object lookup (details, actions, forms)",
        [
            (
                "core/web/views.py",
                "get_for_user(\n"
                "                    base, self.request.user, self.object_action, **lookup\n"
                "                )",
                "base.get(**lookup)",
            )
        ],
        [ROUTES, MATRIX],
    ),
    (
        "kernel: every export's permission (ExportMixin)",
        [
            (
                "core/web/views.py",
                "if not has_permission(self.request.user, None, self.export_permission):",
                "if False:",
            )
        ],
        [ROUTES],
    ),
    (
        "kernel: every view's permission (reports' export)",
        [
            (
                "core/web/views.py",
                "if self.permission and not self.can(self.permission):",
                "if False:",
            )
        ],
        [ROUTES],
    ),
    (
        "kernel: the region a dashboard or report shows",
        [
            (
                "core/web/views.py",
                "return get_for_user(Region.objects.all(), user, code=code)",
                "return Region.objects.get(code=code)",
            )
        ],
        [ROUTES, MATRIX],
    ),
    (
        "API kernel: every API object (api_object)",
        [
            (
                "core/api.py",
                "return get_for_user(queryset, api_user(request), action, **lookup)",
                "return queryset.get(**lookup)",
            )
        ],
        [MATRIX],
    ),
    (
        "registry: household list, export and API (selector + kernel re-scoping)",
        [
            (
                "registry/selectors.py",
                "qs = Household.objects.visible_to(actor)"
                '.select_related("village", "group", "head")',
                'qs = Household.objects.all().select_related("village", "group", "head")',
            ),
            LIST_RESCOPE,
            API_RESCOPE,
        ],
        [ROUTES, MATRIX],
    ),
    (
        "economy: companies and contracts (selectors + kernel re-scoping)",
        [
            (
                "economy/selectors/entities.py",
                "Company.objects.visible_to(actor)",
                "Company.objects.all()",
            ),
            (
                "economy/selectors/entities.py",
                "LinkageContract.objects.visible_to(actor)",
                "LinkageContract.objects.all()",
            ),
            LIST_RESCOPE,
            API_RESCOPE,
        ],
        [ROUTES, MATRIX],
    ),
    (
        "region edit and delete: kernel lookups + services + re-check",
        [
            (
                "core/web/views.py",
                "get_for_user(\n"
                "                    base, self.request.user, self.object_action, **lookup\n"
                "                )",
                "base.get(**lookup)",
            ),
            SERVICE_UPDATE,
            SERVICE_DELETE,
            POST_CHECK,
        ],
        [MATRIX],
    ),
    (
        "region search and API list",
        [
            (
                "core/regions/selectors.py",
                'qs = Region.objects.visible_to(actor).select_related("parent")',
                'qs = Region.objects.all().select_related("parent")',
            )
        ],
        [MATRIX],
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
        [MATRIX],
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
        [MATRIX],
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
        [MATRIX],
    ),
    (
        "account list, page and API",
        [("core/accounts/selectors.py", "User.objects.visible_to(actor)", "User.objects.all()")],
        [ROUTES, MATRIX],
    ),
]


def run(mutations: list[tuple[str, str, str]], tests: list[str]) -> tuple[bool, str]:
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
                "-x",
                "-p",
                "no:cacheprovider",
                *(str(ROOT / t) for t in tests),
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
    # Two at a time (the machine's two cores); each stops at its first failing test (-x).
    with ThreadPoolExecutor(max_workers=int(os.environ.get("MUTANT_JOBS", "2"))) as pool:
        results = pool.map(lambda m: run(m[1], m[2]), MUTANTS)
        for (description, _mutations, _tests), (killed, detail) in zip(
            MUTANTS, results, strict=True
        ):
            survivors += not killed
            print(f"{'killed ' if killed else 'SURVIVED'}  {description:<52} {detail}", flush=True)
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
