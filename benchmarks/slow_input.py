"""Growth of the cost of reading hostile input: each input at sizes n, 2n and 4n.

A linear reader takes about twice as long at twice the size (ratio ~2); a quadratic one four
times (ratio ~4). The baseline of each ratio is the same reader on the smaller input, measured
in the same run. Prints a table; exits 1 if a ratio exceeds 3 (quadratic growth).

    python3 benchmarks/slow_input.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasite.importer import import_readme  # noqa: E402
from datasite.loader import load_dataset  # noqa: E402
from datasite.sync import check_sync  # noqa: E402
from datasite.tokens import invariant_tokens  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "tiny" / "dataset.yml"


def readme_with_sections(n: int) -> bytes:
    halves = []
    for title, word, mirror in (("Data", "Terms", "Mirrors"), ("数据", "条款", "镜像")):
        parts = [f"# {title}\n", f"***{mirror}***\nArchive: https://archive.example.org/data\n"]
        parts += [f"***{word} {i}***\nSection {i} of the terms, revised in 2024.\n" for i in range(n)]
        halves.append("\n".join(parts))
    return "\n".join(halves).encode()


def readme_with_heading(spaces: int) -> bytes:
    heading = "## a" + " " * spaces + "b"
    return (f"# Data\n\n{heading}\nText.\n\n***Mirrors***\nArchive: https://archive.example.org/d\n\n"
            f"# 数据\n\n***条款***\n文本。\n\n***镜像***\n存档: https://archive.example.org/d\n").encode()


def readme_with_word(length: int, unit: str = "a") -> bytes:
    word = unit * length
    return (f"# Data\n\n***Terms***\n{word}\n\n***Mirrors***\nArchive: https://archive.example.org/d\n\n"
            f"# 数据\n\n***条款***\n{word}\n\n***镜像***\n存档: https://archive.example.org/d\n").encode()


def check_with_word(length: int) -> None:
    text = TINY.read_text(encoding="utf-8").replace(
        "Use the readings for anything, and cite the article of 2022.", "a" * length)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dataset.yml"
        path.write_text(text, encoding="utf-8")
        check_sync(load_dataset(path), Path(folder) / "docs", Path(folder) / "dataset.lock.json")


def readme_with_lines(line: str, n: int, mirrors: bool = False) -> bytes:
    """A README whose terms (or mirror list) hold `line` n times."""
    body = "\n".join(line.format(i=i) for i in range(n))
    terms, links = ("Terms.", body) if mirrors else (body, "Archive: https://archive.example.org/d")
    return (f"# Data\n\n***Terms***\n{terms}\n\n***Mirrors***\n{links}\n\n"
            f"# 数据\n\n***条款***\n{terms}\n\n***镜像***\n{links}\n").encode()


def readme_without_headings(n: int) -> bytes:
    lines = [f"Paragraph {i} of an attribution, made in 2021." for i in range(n)]
    lines += ["Download: https://archive.example.org/d", ""] + [f"第 {i} 段署名说明，写于 2021 年。" for i in range(n)]
    return "\n\n".join(lines + ["下载：https://archive.example.org/d"]).encode()


CASES = {
    "import: sections": (1000, lambda n: import_readme(readme_with_sections(n), "README.md")),
    "import: unbroken word (chars)": (50_000, lambda n: import_readme(readme_with_word(n), "README.md")),
    "tokens: 'a.' repeated": (25_000, lambda n: invariant_tokens("a." * n)),
    "tokens: URL and ')' repeated": (20_000, lambda n: invariant_tokens("https://x.org/" + ")" * n)),
    "import: spaces inside a heading": (2_000, lambda n: import_readme(readme_with_heading(n), "README.md")),
    "import: '*a ' repeated in a line": (10_000, lambda n: import_readme(readme_with_word(n, "*a "), "README.md")),
    "check: unbroken word in a clause": (100_000, check_with_word),
    "import: 'cite:' cues in one line": (5_000, lambda n: import_readme(readme_with_lines(
        " ".join(["and cite: A. B. Title. Journal (2021)."] * n), 1), "README.md")),
    "import: mirror lines with codes": (2_000, lambda n: import_readme(readme_with_lines(
        "[Disk {i} with code ab12](https://drive.example.org/s/{i}) or [Other](https://x.example.org/{i})", n,
        mirrors=True), "README.md")),
    "import: paragraphs, no headings": (2_000, lambda n: import_readme(readme_without_headings(n), "README.md")),
}


def seconds(function, size: int, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(size)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    worst = 0.0
    print(f"{'input':36} {'n':>9} {'t(n) s':>8} {'t(2n)/t(n)':>11} {'t(4n)/t(2n)':>12}")
    for name, (size, function) in CASES.items():
        function(size // 4)  # warm up (parsers, caches)
        t1, t2, t4 = (seconds(function, size * k) for k in (1, 2, 4))
        worst = max(worst, t2 / t1, t4 / t2)
        print(f"{name:36} {size:>9,} {t1:>8.3f} {t2 / t1:>11.2f} {t4 / t2:>12.2f}")
    megabyte = readme_with_sections(1) + b"\n" + b"\n".join(
        f"***Terms {i}***\nSection {i}: https://example.org/{i} write to a{i}@example.org. ".encode() + b"x" * 400
        for i in range(2000))
    start = time.perf_counter()
    import_readme(megabyte, "README.md")
    print(f"import of a {len(megabyte) / 1e6:.1f} MB README: {time.perf_counter() - start:.1f} s")
    print(f"worst ratio {worst:.2f} (linear ~2, quadratic ~4)")
    return 0 if worst < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
