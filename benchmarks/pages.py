"""Page budgets: Lighthouse scores and bytes, and the build-time cost of datasite's hooks.

1. Builds the site, and a plain mkdocs-material + mkdocs-static-i18n site of the same pages
   without datasite's hooks, overrides, styles or scripts (the "default setup"); prints the
   full-build time of each (9 back-to-back rounds; CPU and wall time; the median of the rounds'
   ratios) and, if valgrind is installed, the instructions one build of each executes, which
   unlike time does not vary from run to run (target for the ratios: at most 1.15). datasite is
   built with its caches (.cache/datasite/: formatted citations, QR codes, compiled templates,
   as every build after a checkout's first has them) and without (a fresh checkout's first build).
2. Serves each on 127.0.0.1 as GitHub Pages does (gzip, the site's 404 page) and runs Lighthouse
   (mobile; npm package, Debian's chromium) 3 times on every page of both languages; prints
   the median of each of the four scores, and, of the run with the median performance, the
   total transfer and the number of requests to other hosts. Targets for datasite:
   performance at least 95, accessibility, best practices and SEO 100 on every page, no
   third-party request, a home page no heavier than the default setup's.

    python3 benchmarks/pages.py            (needs `npm ci` and chromium: see tests/setup.sh)
    python3 benchmarks/pages.py --builds-only    (no Lighthouse)
    python3 benchmarks/pages.py --no-valgrind    (no instruction counts, which take minutes)
    python3 benchmarks/pages.py --lighthouse-only  (one round of builds instead of 9, no valgrind)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
# Builds use compiled bytecode as on any installed machine (this sandbox sets the variable).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = [language + name for language in ("", "zh/")
         for name in ("", "download/", "license/", "cite/", "contact/", "changes/")]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
ROUNDS = 9
PROJECT_FILES = ["dataset.yml", "dataset.lock.json", "mkdocs.yml", "docs", "overrides"]

PLAIN_CONFIG = """\
site_name: {name}
site_url: {site_url}
docs_dir: docs
theme:
  name: material
  language: en
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - {{locale: en, name: English, default: true, build: true}}
        - {{locale: zh, name: 中文, build: true}}
markdown_extensions: [attr_list, toc, pymdownx.highlight, pymdownx.superfences]
"""


VARIANTS = {"cached": "with its caches", "uncached": "first build of a fresh checkout, no .cache"}


def instructions(builds: dict[str, tuple[Path, Path]]) -> dict[str, int]:
    """Instructions executed by one full build of each config, counted by valgrind (all at once:
    a build under valgrind takes minutes). Unlike time, the count is the same on every run."""
    running = {
        name: subprocess.Popen(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
             sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
            cwd=config.parent, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for name, (config, site_dir) in builds.items()
    }
    counts = {}
    for name, process in running.items():
        _, stderr = process.communicate(timeout=3600)
        match = re.search(r"I\s+refs:\s+([\d,]+)", stderr)
        if process.returncode != 0 or not match:
            raise SystemExit(f"valgrind build {name} failed:\n{stderr[-2000:]}")
        counts[name] = int(match.group(1).replace(",", ""))
    return counts


def build(config: Path, site_dir: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one full build. CPU time is steadier on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                            cwd=config.parent, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain_project(folder: Path, site_url: str, data: Path = ROOT / "dataset.yml") -> Path:
    """The same generated pages as Markdown files, built by the themes alone."""
    from datasite.loader import load_dataset
    from datasite.render.pages import render_pages

    dataset = load_dataset(data).dataset
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for language in ("en", "zh"):
        for name, markdown in render_pages(dataset, language).items():
            (docs / f"{name}.{language}.md").write_text(markdown, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(PLAIN_CONFIG.format(name=dataset.name["en"], site_url=site_url), encoding="utf-8")
    return config


def datasite_project(folder: Path, site_url: str) -> Path:
    """A copy of this project (its own render cache, so that cold builds leave the checkout's be)."""
    folder.mkdir(parents=True)
    for name in PROJECT_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, folder / name)
    config = folder / "mkdocs.local.yml"  # beside mkdocs.yml, so that relative paths still resolve
    config.write_text(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n", encoding="utf-8")
    return config


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves like GitHub Pages: gzip for text, and the site's 404.html for missing paths."""

    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
        body = path.read_bytes()
        headers = {"Content-Type": self.guess_type(str(path))}
        if path.suffix in self.COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str, out: Path, runs: int = 3) -> dict:
    """The median of each score over `runs` (Lighthouse scores vary run to run); transfer and
    third-party requests of the run with the median performance."""
    results = sorted((lighthouse_once(url, out) for _ in range(runs)), key=lambda r: r["performance"])
    median = dict(results[len(results) // 2])
    for key in TARGETS:
        median[key] = statistics.median(r[key] for r in results)
    return median


def lighthouse_once(url: str, out: Path) -> dict:
    flags = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    out.unlink(missing_ok=True)  # never the report of an earlier run
    result = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                             "--only-categories=performance,accessibility,best-practices,seo",
                             f"--chrome-flags={flags}"],
                            env=dict(ENV, CHROME_PATH=CHROME), capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text())
    scores = {key: round(100 * (category["score"] or 0)) for key, category in report["categories"].items()}
    requests = report["audits"]["network-requests"]["details"]["items"]
    base = urlsplit(url).netloc
    return {
        **scores,
        "bytes": int(report["audits"]["total-byte-weight"]["numericValue"]),
        "third_party": sum(1 for r in requests if urlsplit(r["url"]).netloc not in ("", base)),  # data: has none
        "failed": [a for a, v in report["audits"].items() if v.get("score") is not None and v["score"] < 1
                   and v.get("scoreDisplayMode") == "binary"],
    }


def main() -> None:
    builds_only = "--builds-only" in sys.argv
    if not builds_only and not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is not installed: run `npm ci` (tests/setup.sh does)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain_server, plain_url = serve(tmp / "plain-site")
        ours_server, ours_url = serve(tmp / "ours-site")
        plain_config = plain_project(tmp / "plain", plain_url)
        ours_config = datasite_project(tmp / "ours", ours_url)
        caches = tmp / "ours" / ".cache"
        times: dict[str, list[tuple[float, float]]] = {"plain": [], "cached": [], "uncached": []}
        rounds = 1 if "--lighthouse-only" in sys.argv else ROUNDS
        for _ in range(rounds):
            times["plain"].append(build(plain_config, tmp / "plain-site"))
            shutil.rmtree(caches, ignore_errors=True)  # as in a fresh checkout
            times["uncached"].append(build(ours_config, tmp / "ours-site"))
            times["cached"].append(build(ours_config, tmp / "ours-site"))
        # Single builds on a shared virtual machine vary by a third; the builds of a round run
        # back to back, under the same conditions, so the median of the rounds' ratios is the
        # steadiest time figure. Instructions executed (valgrind) do not vary at all.
        for index, kind in ((1, "CPU time"), (0, "wall time")) if rounds > 1 else ():
            plain = statistics.median(t[index] for t in times["plain"])
            for variant, label in VARIANTS.items():
                ours = statistics.median(t[index] for t in times[variant])
                ratio = statistics.median(o[index] / p[index] for o, p in zip(times[variant], times["plain"]))
                print(f"full build, {kind}, {label} (median of {ROUNDS} rounds): datasite {ours:.2f} s, "
                      f"plain theme {plain:.2f} s, ratio {ratio:.2f} (target <= 1.15)")
        if "--no-valgrind" not in sys.argv and rounds > 1:
            if shutil.which("valgrind"):
                cold_config = datasite_project(tmp / "ours-cold", ours_url)
                counts = instructions({"plain": (plain_config, tmp / "vg-plain"),
                                       "cached": (ours_config, tmp / "vg-ours"),
                                       "uncached": (cold_config, tmp / "vg-ours-cold")})
                for variant, label in VARIANTS.items():
                    print(f"full build, instructions executed, {label} (valgrind): datasite {counts[variant]:,}, "
                          f"plain theme {counts['plain']:,}, ratio {counts[variant] / counts['plain']:.3f} "
                          "(target <= 1.15)")
            else:
                print("(valgrind is not installed: no instruction counts; apt-get install valgrind)")
        if builds_only:
            return
        print()
        print(f"{'site':9} {'page':14} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'bytes':>8} {'3rd-party':>9}  failing")
        results = {}
        for label, base in (("datasite", ours_url), ("default", plain_url)):
            for page in PAGES if label == "datasite" else ["", "zh/"]:
                result = lighthouse(base + page, tmp / f"{label}-{page.replace('/', '_') or 'home'}.json")
                results[(label, page)] = result
                print(f"{label:9} /{page:13} {result['performance']:>4g} {result['accessibility']:>4g} "
                      f"{result['best-practices']:>4g} {result['seo']:>4g} {result['bytes']:>8} "
                      f"{result['third_party']:>9}  {' '.join(result['failed'][:6])}")
        ratio = results[("datasite", "")]["bytes"] / results[("default", "")]["bytes"]
        print(f"\nhome page transfer: datasite / default = {ratio:.3f} (target <= 1.000)")
        missed = [f"/{page} {key} {result[key]:g}" for (label, page), result in results.items() if label == "datasite"
                  for key, target in TARGETS.items() if result[key] < target]
        missed += [f"/{page} third-party requests" for (label, page), result in results.items()
                   if label == "datasite" and result["third_party"]]
        print(f"every datasite page (median of 3 runs): performance >= 95, accessibility, best practices and SEO 100, "
              f"no third-party request: {'met' if not missed else 'NOT met: ' + '; '.join(missed)}")
        plain_server.shutdown()
        ours_server.shutdown()


if __name__ == "__main__":
    main()
