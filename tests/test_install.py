"""`pip install .` (not -e) gives a danvan that finds its knowledge, run from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_package_carries_its_knowledge_and_answers_from_anywhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("danvan-*.whl"))
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip install puts in site-packages
        archive.extractall(installed)
    assert (installed / "bot" / "_content" / "hcm-danvan.md").is_file()
    assert (installed / "bot" / "_intents").is_dir() and (installed / "bot" / "_content" / "deadlines.yaml").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")} | {"PYTHONPATH": str(installed)}
    run = subprocess.run([sys.executable, "-m", "bot", "ask", "5 không là gì"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Không xả rác" in run.stdout and "Hướng dẫn số 11-HD/BDVTU" in run.stdout
    validate = subprocess.run([sys.executable, "-m", "bot", "validate"], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300)
    assert "0 error(s)" in validate.stdout, validate.stdout[-500:]
