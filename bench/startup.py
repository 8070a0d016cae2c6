"""Start-to-first-200: how long `mektep serve` takes until /healthz answers, advertising on/off.

    .venv/bin/python bench/startup.py [--runs 5]

Serves on loopback (so advertising, which follows the listen address, stays on 127.0.0.1 and
nothing reaches a real network) and prints the median and worst time for each mode.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import MEKTEP, Server  # noqa: E402


def measure(home: Path, advertise: bool, runs: int) -> list[float]:
    """Seconds from process start to the first 200 from /healthz, once per run."""
    times = []
    for _ in range(runs):
        server = Server(home, env={"MEKTEP_ADVERTISE": "true" if advertise else "false"})
        try:
            server.start()
            times.append(server.startup_seconds)
        finally:
            server.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "node"
        subprocess.run([MEKTEP, "--home", str(home), "migrate"], check=True, capture_output=True)
        for advertise in (True, False):
            times = measure(home, advertise, args.runs)
            label = "advertising on " if advertise else "advertising off"
            print(
                f"{label}: start to first 200 median {statistics.median(times):.2f} s, "
                f"worst {max(times):.2f} s ({args.runs} runs)"
            )


if __name__ == "__main__":
    main()
