"""The forecasting engine is pure: no module in sightline/forecast imports Django (or any other part of
Sightline that might), so it runs, is tested and is benchmarked without a project or a database."""

import ast
from pathlib import Path

import pytest

import sightline.forecast

PACKAGE = Path(sightline.forecast.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_the_package_has_the_engine_modules():
    assert {"calendar.py", "engine.py", "sampling.py"} <= {path.name for path in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_forecast_module_imports_django(path):
    imported = imported_names(path)
    assert not {name for name in imported if name.split(".")[0] == "django"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_forecast_modules_import_nothing_else_from_sightline(path):
    imported = imported_names(path)
    outside = {
        name
        for name in imported
        if name.split(".")[0] == "sightline" and not name.startswith("sightline.forecast")
    }
    assert not outside
