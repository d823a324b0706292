"""The house has floors: an app imports only the apps below it, never one above.

    config (settings, URLconf)
    portal            the site as a whole: home, review, sources, changes, seed, backup
    recommendations
    people
    treaties
    core              sources, provenance, dates, exports, browse views, the registry

Every import counts, at the top of a module or inside a function: what an app must know of
the apps above it, it learns from the registry in `core.registry`, which they fill.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["core", "treaties", "people", "recommendations", "portal", "config"]


def modules():
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def imported_apps(path):
    """(line, app) for every import of a project app in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in FLOORS:
                yield node.lineno, top


def upward_imports():
    found = []
    for app, path in modules():
        for line, imported in imported_apps(path):
            if FLOORS.index(imported) > FLOORS.index(app):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return found


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from portal.views import HomeView\n    import people.models\n")
    assert sorted(imported_apps(module)) == [(2, "portal"), (3, "people")]


@pytest.mark.parametrize("app", FLOORS)
def test_every_floor_is_a_package_that_the_walk_reads(app):
    assert any(path.parent.name == app for _app, path in modules())
