"""Rules of the app kernel that no single app's tests would notice breaking.

(a) No app's view module calls ``visible_to``, ``get_for_user`` or ``has_permission``: scoped
    reads come from selectors (``actor=``), objects from the kernel views, permission checks
    from ``permission =`` / ``self.can()``. Read with ``ast``, so a comment or a string does not
    count and an aliased attribute call does.
(b) No function-level import of a zhenxing module in ``src`` (each hides an import cycle);
    an ``AppConfig.ready()`` is exempt: Django asks for registration imports there.
(c) The import-linter layering contracts hold.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "zhenxing"
FORBIDDEN_CALLS = {"visible_to", "get_for_user", "has_permission"}


def view_modules() -> list[Path]:
    found = set(SRC.rglob("views.py")) | set(SRC.rglob("views/*.py")) | set(SRC.rglob("*_views.py"))
    kernel = SRC / "core" / "web"
    return sorted(p for p in found if kernel not in p.parents and "migrations" not in p.parts)


def forbidden_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in FORBIDDEN_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(")
    return found


def test_view_modules_are_found() -> None:
    names = {str(p.relative_to(SRC)) for p in view_modules()}
    assert "registry/views.py" in names and any(n.startswith("economy/views/") for n in names)


def test_no_view_module_scopes_or_checks_permissions_itself() -> None:
    offenders = [hit for path in view_modules() for hit in forbidden_calls(path)]
    assert offenders == [], "\n".join(offenders)


def function_level_imports() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and fn.name == "ready":
                continue  # Django's hook for imports that need the app registry ready
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zhenxing"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module}")
                elif isinstance(node, ast.Import) and any(
                    a.name.startswith("zhenxing") for a in node.names
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: import")
    return sorted(set(found))


def test_no_function_level_imports_of_zhenxing() -> None:
    hits = function_level_imports()
    assert hits == [], "\n".join(hits)


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed in the virtualenv"
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
