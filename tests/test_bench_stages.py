"""``make bench`` runs its stages in subprocesses that call the engine's own steps; these tests
run the stages that re-use detector internals on one sample, so a changed interface breaks a
test instead of the next benchmark run. Nothing here is timed: speed is measured by
``make bench`` only."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_tenders" / "08_greyford_creative_activities_very_closed.pdf"


@pytest.mark.parametrize("stage", ["breakdown", "pipeline"])
def test_bench_stage_runs_on_a_sample(stage, tmp_path):
    files = tmp_path / "files.txt"
    files.write_text(str(SAMPLE), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--stage", stage,
                           "--files-from", str(files), "--jobs", "1"],
                          capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, BARRIER_SCAN_NO_CONFIG="1"), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["cpu_seconds"] >= 0
    if stage == "breakdown":
        assert out["documents"] == 1 and out["model"] is True
        assert set(out["seconds"]) >= {"extract", "segment", "rules", "model", "score"}
