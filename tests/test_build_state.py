"""A build holds its own state (issue 23): its render memo, source date, Chinese segmenter and log
settings belong to the build and are put back when it ends, so two builds in one process write
the same bytes as two processes, and leave the process as they found it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED, TINY, build_env, copy_project

# One process, three builds, as `mkdocs build` runs each (startup, build, shutdown); prints what a
# build could have left behind in the process.
IN_ONE_PROCESS = """
import json, logging, os, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
import material.plugins.search.plugin as search

def state():
    return {"jieba": type(search.jieba).__name__, "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
            "filters": sorted(type(f).__name__ for name in ("mkdocs.commands.build", "mkdocs.structure.pages")
                              for f in logging.getLogger(name).filters),
            "jieba_level": logging.getLogger("jieba").level}

before = state()
after = []
for project, site in zip(sys.argv[1::2], sys.argv[2::2]):
    os.chdir(project)  # (as a maintainer runs `mkdocs build`: messages name files from there)
    config = load_config("mkdocs.yml", site_dir=site)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    after.append(state())
print(json.dumps({"before": before, "after": after}))
"""


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_builds_in_one_process_write_what_separate_processes_write(tmp_path):
    tiny = copy_project(tmp_path / "tiny", TINY)
    seed = copy_project(tmp_path / "seed", SEED)
    env = build_env(SOURCE_DATE_EPOCH="")  # (unset: each build takes its own from its dataset)
    env.pop("SOURCE_DATE_EPOCH")
    for project, name in ((tiny, "tiny-alone"), (seed, "seed-alone")):
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / name)],
                                cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    shutil.rmtree(tiny / ".cache", ignore_errors=True)  # (the shared run starts cold, as the first did)
    shutil.rmtree(seed / ".cache", ignore_errors=True)
    sites = [tmp_path / "tiny-1", tmp_path / "seed-1", tmp_path / "tiny-2"]
    result = subprocess.run([sys.executable, "-c", IN_ONE_PROCESS, str(tiny), str(sites[0]), str(seed), str(sites[1]),
                             str(tiny), str(sites[2])], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    states = json.loads(result.stdout.strip().splitlines()[-1])

    assert _digests(sites[0]) == _digests(tmp_path / "tiny-alone")
    assert _digests(sites[1]) == _digests(tmp_path / "seed-alone")  # mutant: the first build's memo or date kept
    assert _digests(sites[2]) == _digests(sites[0])
    # Each build put back what it changed: no segmenter stand-in, no source date, no filters left.
    for state in states["after"]:
        assert state == states["before"], states
