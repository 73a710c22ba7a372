#!/usr/bin/env python3
"""How long `guidebook check` takes, and how much memory, on a generated question bank.

Copies tests/fixtures/minimal to a temporary directory, adds a bank of N questions (each with
topics, lists and a link, half of them in flow style), runs `guidebook check` under
`/usr/bin/time -v` and prints the wall time and peak memory. The last question names an
unknown topic, so the run must fail with exactly that one error (with --clean it passes, and
check also renders every page in memory).

    cargo build --release
    python3 benches/scale.py                  # 20,000 questions, target/release/guidebook
    python3 benches/scale.py 3000 10000 20000 --binary /work/bin/guidebook
"""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
BROKEN = True


def question(i: int, last: bool) -> str:
    topic = "wrkload" if last and BROKEN else ("workload" if i % 2 else "visa")
    if i % 2:
        return (
            f"  - {{ id: scale-q{i}, text: 'Question {i}: how is call shared?', "
            f"why: 'It shows the workload.', topics: [{topic}], applies_to: all }}\n"
        )
    return (
        f"  - id: scale-q{i}\n"
        f"    text: Question {i}, see the [glossary](../glossary.md#esir).\n"
        f"    why: Shows the real workload.\n"
        f"    good_signs:\n      - Concrete numbers\n"
        f"    red_flags:\n      - Laughing it off\n"
        f"    follow_ups:\n      - Who backs you up?\n"
        f"    topics: [{topic}]\n"
        f"    applies_to: [us-img, non-us-img]\n"
        f"    priority: medium\n"
    )


def write_bank(root: pathlib.Path, count: int) -> None:
    head = "id: scale\ntitle: Questions at scale\naudience: alumni\nquestions:\n"
    body = "".join(question(i, i == count - 1) for i in range(count))
    (root / "content/questions/scale.yaml").write_text(head + body)


def measure(binary: str, root: pathlib.Path) -> tuple[float, float, int, str]:
    run = subprocess.run(
        ["/usr/bin/time", "-v", binary, "check", str(root)],
        capture_output=True,
        text=True,
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)[1])
    errors = [l for l in run.stderr.splitlines() if ": error: " in l]
    return elapsed, rss_kib / 1024, run.returncode, "\n".join(errors)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[20_000])
    parser.add_argument(
        "--clean", action="store_true", help="no unknown topic: check renders the whole site"
    )
    parser.add_argument("--binary", default=str(REPO / "target/release/guidebook"))
    args = parser.parse_args()
    global BROKEN
    BROKEN = not args.clean
    print(f"{'questions':>10} {'seconds':>8} {'MiB':>8}  exit  errors")
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp) / "book"
            shutil.copytree(REPO / "tests/fixtures/minimal", root)
            write_bank(root, count)
            seconds, mib, code, errors = measure(args.binary, root)
            print(f"{count:>10} {seconds:>8.2f} {mib:>8.1f}  {code:>4}  {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
