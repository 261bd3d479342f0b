"""Hashing speed of `datasite files` against coreutils' sha256sum, on the same files in one run.

    python3 benchmarks/hashing.py [--mb 512]

Writes a few large files to a temporary folder, reads them once to warm the page cache (both
tools then read from memory, so the figure is the hashing itself, not the disk), and times
`datasite.files.scan` and `sha256sum` alternately; prints MB/s of each and their ratio (median
of 3 rounds). The digests must agree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasite.files import scan  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=512, help="total size of the files (default 512)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="datasite-hashing-") as tmp:
        folder = Path(tmp)
        chunk = os.urandom(1 << 20)
        for index in range(4):
            with (folder / f"part-{index}.bin").open("wb") as handle:
                for _ in range(args.mb // 4):
                    handle.write(chunk)
        names = sorted(p.name for p in folder.iterdir())
        total = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        subprocess.run(["cat", *names], cwd=folder, stdout=subprocess.DEVNULL, check=True)  # warm the cache
        ours, theirs = [], []
        with open(os.devnull, "w") as quiet:
            for _ in range(3):
                start = time.perf_counter()
                scanned = scan(folder, progress_stream=quiet)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                output = subprocess.run(["sha256sum", *names], cwd=folder, capture_output=True, text=True,
                                        check=True).stdout
                theirs.append(time.perf_counter() - start)
        reference = {name: digest for digest, name in (line.split("  ", 1) for line in output.splitlines())}
        assert {f.name: f.sha256 for f in scanned} == reference, "digests differ from sha256sum"
        ours_rate, theirs_rate = total / statistics.median(ours), total / statistics.median(theirs)
        print(f"{total:.0f} MB in 4 files (page cache warm), median of 3 rounds")
        print(f"datasite files: {ours_rate:8.0f} MB/s")
        print(f"sha256sum:      {theirs_rate:8.0f} MB/s")
        print(f"ratio datasite / sha256sum: {ours_rate / theirs_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
