"""Regenerate docs/report.png: grade the ex01 corpus of tests/submissions (mutants, an alternative, the
reference and an endless loop) with `grade batch --similarity`, then screenshot report.html headless.

    .venv/bin/python docs/make_report_png.py
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from report_browser import screenshot  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    subs = Path(tmp) / "subs"
    subs.mkdir()
    for f in sorted((ROOT / "tests" / "submissions" / "ex01").glob("*.py")):
        shutil.copy(f, subs / f.name)
    shutil.copy(ROOT / "solutions" / "ex01_conv_arithmetic.py", subs / "reference.py")
    shutil.copy(ROOT / "tests" / "hostile" / "infinite_loop.py", subs / "endless_loop.py")
    out = Path(tmp) / "results"
    subprocess.run([sys.executable, "-m", "grader.front.cli", "batch", "ex01", str(subs), "--out", str(out), "--jobs", "2",
                    "--similarity"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    screenshot(out / "report.html", ROOT / "docs" / "report.png", width=1100, height=1250, full_page=False)
print("wrote", ROOT / "docs" / "report.png")
