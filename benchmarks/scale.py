"""Scale: a release of 10,000 files and hundreds of mirrors stays fast to build, light to load,
quick to edit.

Builds, in one run, the seed (tests/fixtures/seed) and a synthetic dataset made from it: 300
mirrors, one release of 10,000 files in 20 folders, 500 changes (every one passes `datasite check
--strict`). Prints, each against a baseline of the same run:

- the CPU time of each build (the median of 3) and their ratio (target: at most 3),
- the heaviest page but the download page, of either language (target: at most 150 kB),
- the size of the 10,000-file download page, and its Lighthouse mobile performance (the median
  of 3 runs; target: at least 90),
- the time from a save of dataset.yml to the changed download page under `datasite serve`
  (the median of 3 saves; target: at most 3 s),
- the seed's build against a plain mkdocs-material + mkdocs-static-i18n build of the same pages
  (CPU, the median of 3 rounds' ratios; target: at most 0.8).

Exits 1 when a target is missed. Everything is served on 127.0.0.1.

    python3 benchmarks/scale.py                  (needs `npm ci` and chromium: see tests/setup.sh)
    python3 benchmarks/scale.py --no-lighthouse
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from pages import ENV, build, lighthouse, plain_project, serve  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "seed"
TARGETS = {"cpu_ratio": 3.0, "page_kb": 150, "performance": 90, "save_seconds": 3.0, "plain_ratio": 0.8}


def copy_seed(folder: Path) -> Path:
    shutil.copytree(SEED, folder, ignore=shutil.ignore_patterns("site", ".cache"))
    return folder


def make_large(folder: Path, files: int = 10_000, mirrors: int = 300, changes: int = 500,
               folders: int = 20) -> Path:
    """The seed with `mirrors` more mirrors, one release of `files` files and `changes` changes."""
    copy_seed(folder)
    path = folder / "dataset.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(2026)
    regions = [region["id"] for region in data["regions"]]
    for index in range(mirrors):
        data["mirrors"].append({
            "id": f"mirror-{index:03d}", "region": regions[index % len(regions)],
            "label": {"en": f"Mirror {index}", "zh": f"镜像 {index}"},
            "url": f"https://mirror-{index:03d}.example.org/data/wenzhou",
            "note": {"en": f"Kept by site {index}.", "zh": f"由站点 {index} 维护。"},
        })
    listed = []
    for index in range(files):
        name = f"cells-{index % folders:02d}/cycle-{index:05d}.csv"
        listed.append({"name": name, "size": rng.randrange(10_000, 50_000_000),
                       "sha256": hashlib.sha256(name.encode()).hexdigest(), "format": "csv"})
    released = date(2026, 6, 1)
    data["releases"] = [{"version": "1.0", "date": released, "files": listed,
                         "notes": {"en": "Every cycle of every cell.", "zh": "全部电池的全部循环。"}}]
    start = date(2020, 1, 1)
    data["changes"] = [{"date": start + timedelta(days=3 * i), "kind": "mirrors",
                        "text": {"en": f"Change number {i} of the mirrors.", "zh": f"镜像的第 {i} 次变更。"}}
                       for i in range(changes)]
    data["changes"].append({"date": released, "kind": "release", "text": {"en": "Release 1.0.", "zh": "1.0 版发布。"}})
    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    path.write_text(yaml.dump(data, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    confirm = subprocess.run([sys.executable, "-m", "datasite.cli", "confirm", "--all"], cwd=folder, env=ENV,
                             capture_output=True, text=True)
    check = subprocess.run([sys.executable, "-m", "datasite.cli", "check", "--strict"], cwd=folder, env=ENV,
                           capture_output=True, text=True)
    if confirm.returncode or check.returncode:
        raise SystemExit(f"the synthetic dataset does not pass check --strict:\n{confirm.stderr}{check.stderr}")
    return folder


def cpu_of_builds(project: Path, site: Path, rounds: int = 3) -> float:
    """The median CPU seconds of `rounds` builds (the first warms the caches, as a maintainer's do)."""
    build(project / "mkdocs.yml", site)
    return statistics.median(build(project / "mkdocs.yml", site)[1] for _ in range(rounds))


def page_sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
            return response.read().decode("utf-8")
    except OSError:
        return None


def save_to_page(project: Path, saves: int = 3) -> list[float]:
    """Seconds from a save of dataset.yml to the served download page that shows the change."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasite.cli", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/download/"
    try:
        ends = time.monotonic() + 300
        while fetch(url) is None:
            if time.monotonic() > ends or server.poll() is not None:
                raise SystemExit("datasite serve did not start")
            time.sleep(0.2)
        path = project / "dataset.yml"
        times = []
        for number in range(saves):
            marker = f"Kept by the benchmark's save {number}."
            text = path.read_text(encoding="utf-8")
            old = "Kept by site 7." if number == 0 else f"Kept by the benchmark's save {number - 1}."
            text = text.replace(old, marker, 1)
            started = time.monotonic()
            path.write_text(text, encoding="utf-8")
            while marker not in (fetch(url) or ""):
                if time.monotonic() - started > 120:
                    raise SystemExit("the save never reached the served page")
                time.sleep(0.05)
            times.append(time.monotonic() - started)
            time.sleep(1.0)  # the server settles before the next save
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--mirrors", type=int, default=300)
    args = parser.parse_args()
    missed = []
    with tempfile.TemporaryDirectory(prefix="datasite-scale-") as tmp:
        tmp = Path(tmp)
        seed = copy_seed(tmp / "seed")
        large = make_large(tmp / "large", files=args.files, mirrors=args.mirrors)
        seed_cpu = cpu_of_builds(seed, tmp / "seed-site")
        large_cpu = cpu_of_builds(large, tmp / "large-site")
        ratio = large_cpu / seed_cpu
        print(f"build CPU: seed {seed_cpu:.2f} s, {args.files} files / {args.mirrors} mirrors {large_cpu:.2f} s: "
              f"ratio {ratio:.2f} (target <= {TARGETS['cpu_ratio']:g})")
        missed += [] if ratio <= TARGETS["cpu_ratio"] else ["build CPU ratio"]

        sizes = page_sizes(tmp / "large-site")
        others = {name: size for name, size in sizes.items() if not name.endswith("download/index.html")}
        heaviest = max(others, key=others.get)
        download = sizes["download/index.html"]
        print(f"heaviest page but the download page: {heaviest} {others[heaviest] / 1000:.1f} kB "
              f"(target <= {TARGETS['page_kb']} kB; the seed's heaviest: "
              f"{max(page_sizes(tmp / 'seed-site').values()) / 1000:.1f} kB)")
        print(f"download page: {download / 1000:.0f} kB (zh: {sizes['zh/download/index.html'] / 1000:.0f} kB)")
        missed += [] if others[heaviest] <= TARGETS["page_kb"] * 1000 else ["page weight"]

        if not args.no_lighthouse:
            server, base = serve(tmp / "large-site")
            try:
                scores = lighthouse(base + "download/", tmp / "lighthouse.json")
            finally:
                server.shutdown()
            print(f"Lighthouse mobile performance of the {args.files}-file download page: {scores['performance']:g} "
                  f"(median of 3; target >= {TARGETS['performance']})")
            missed += [] if scores["performance"] >= TARGETS["performance"] else ["Lighthouse performance"]

        times = save_to_page(large)
        print(f"save of dataset.yml -> served page: {', '.join(f'{t:.2f}' for t in times)} s; median "
              f"{statistics.median(times):.2f} s (target <= {TARGETS['save_seconds']:g} s)")
        missed += [] if statistics.median(times) <= TARGETS["save_seconds"] else ["save to page"]

        plain = plain_project(tmp / "plain", "https://example.github.io/plain/", SEED / "dataset.yml")
        ratios = []
        for _ in range(3):
            plain_cpu = build(plain, tmp / "plain-site")[1]
            seed_cpu = build(seed / "mkdocs.yml", tmp / "seed-site")[1]
            ratios.append(seed_cpu / plain_cpu)
        plain_ratio = statistics.median(ratios)
        print(f"seed build against a plain mkdocs-material + i18n build: {plain_ratio:.2f} "
              f"(target <= {TARGETS['plain_ratio']:g})")
        missed += [] if plain_ratio <= TARGETS["plain_ratio"] else ["seed against plain"]
    if missed:
        print("missed: " + ", ".join(missed))
        return 1
    print("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
