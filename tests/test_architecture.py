"""Imports flow one way (scripts/import_layers.py): no cycles, imports inside functions included."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_layers", REPO / "scripts" / "import_layers.py")
assert _spec is not None and _spec.loader is not None
layers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = layers  # dataclasses look their module up
_spec.loader.exec_module(layers)


def test_frontline_imports_flow_one_way():
    assert layers.problems(layers.build_graph(REPO / "frontline")) == []


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "frontline"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(source))
    return package


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return layers.problems(layers.build_graph(write_package(tmp_path, files)))


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    found = problems_of(tmp_path, {
        "a/services.py": "def start():\n    from . import solve\n",
        "a/solve.py": "from .services import start\n",
    })
    assert found == ["import cycle: frontline.a.services -> frontline.a.solve"]


def test_services_may_not_import_tasks(tmp_path):
    found = problems_of(tmp_path, {"a/tasks.py": "", "a/services/_common.py": "def go():\n    from ..tasks import x\n"})
    assert found == ["frontline.a.services._common imports frontline.a.tasks: services start tasks through frontline.core.background"]


def test_selectors_may_not_import_services(tmp_path):
    found = problems_of(tmp_path, {"a/services.py": "", "a/forecast_selectors.py": "from frontline.a.services import x\n"})
    assert found == ["frontline.a.forecast_selectors imports frontline.a.services: a selector reads, it imports no services or tasks"]


def test_apps_domain_layers_may_not_form_a_circle(tmp_path):
    found = problems_of(tmp_path, {
        "a/models.py": "from frontline.b.models import B\n",
        "b/models.py": "",
        "b/plans.py": "from frontline.a.models import A\n",
    })
    assert found == ["app cycle between domain layers: frontline.a <-> frontline.b"]


@pytest.mark.parametrize("page", ["b/views.py", "b/staffing_views.py", "b/staffing_forms.py", "b/templatetags/x.py"])
def test_pages_may_read_across_apps(tmp_path, page):
    found = problems_of(tmp_path, {
        "a/models.py": "from frontline.b.models import B\n",
        "b/models.py": "",
        page: "from frontline.a.models import A\n",
    })
    assert found == []


def test_the_engine_imports_no_app(tmp_path):
    found = problems_of(tmp_path, {"engine/erlang.py": "from frontline.a.models import A\n", "a/models.py": ""})
    assert found == ["frontline.engine.erlang imports frontline.a.models: the engine is pure and imports no app"]


def test_the_command_line_exits_1_on_a_problem(tmp_path, capsys):
    package = write_package(tmp_path, {"a/services.py": "from . import tasks\n", "a/tasks.py": ""})
    assert layers.main([str(package)]) == 1
    assert "1 problem(s)" in capsys.readouterr().out
