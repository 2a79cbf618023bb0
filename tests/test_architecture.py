"""The layering every module relies on (ADR 0005): the lower apps — core, accounts, people,
attachments, notifications, portal — never import a module; modules register what they add.
Every app has one AppConfig derived from registry.GonghuiAppConfig, so its registrations run."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from gonghui.core.registry import GonghuiAppConfig

LOWER_APPS = {"core", "accounts", "people", "attachments", "notifications", "portal"}
ROOT = Path(settings.BASE_DIR) / "gonghui"


def _modules() -> set[str]:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    return packages - LOWER_APPS


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_there_are_modules_and_lower_apps_to_check():
    assert {"mutual_aid", "insurance", "drives", "congress", "proposals", "demo"} <= _modules()
    assert all((ROOT / app).is_dir() for app in LOWER_APPS)


def test_lower_apps_import_no_module():
    modules = _modules()
    offending = []
    for app in sorted(LOWER_APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            for name in _imported(path):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "gonghui" and parts[1] in modules:
                    offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []


def test_lower_app_templates_name_no_module_route():
    """A lower app's template must not link into a module ({% url 'mutual_aid:…' %}):
    modules register their links instead."""
    modules = _modules()
    offending = []
    for app in sorted(LOWER_APPS):
        for path in sorted((Path(settings.BASE_DIR) / "templates" / app).rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            offending += [f"{path.name}: {m}" for m in modules if f"{{% url '{m}:" in text or f'{{% url "{m}:' in text]
    assert offending == []


def test_every_gonghui_app_registers_through_core():
    configs = [config for config in apps.get_app_configs() if config.name.startswith("gonghui.")]
    assert {config.label for config in configs} >= LOWER_APPS | _modules()
    assert [config.label for config in configs if not isinstance(config, GonghuiAppConfig)] == []
    assert all(name in settings.INSTALLED_APPS for name in (f"gonghui.{label}" for label in LOWER_APPS))


# The one spreadsheet writer (core/excel.py): neutralised formulas, typed numbers and dates,
# control characters dropped. The roster template holds only fixed headers (no data).
SPREADSHEET_WRITERS_ALLOWED = {"core/excel.py", "people/roster/reading.py"}


def test_only_core_writes_spreadsheets():
    offending = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if "/tests/" in relative or relative in SPREADSHEET_WRITERS_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("openpyxl", "openpyxl.cell", "xlsxwriter"):
                offending += [f"{relative}: {node.module}.{a.name}" for a in node.names if a.name != "load_workbook"]
            elif isinstance(node, ast.Import):
                offending += [f"{relative}: {a.name}" for a in node.names if a.name == "xlsxwriter"]
            elif isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    offending.append(f"{relative}: csv.{node.attr}")
    assert offending == []
