"""The verdict as a student reads it: a compact table, then one full-width block per
check that did not pass, at 80 and at 200 columns -- in rich's recorded console
and in a real terminal (tmux) 80 columns wide."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.console import Console

from grader.core.outcome import CheckResult, Report, Status
from grader.front.render import print_changes, print_report

ROOT = Path(__file__).resolve().parent.parent
MISTAKE = "padded k // 2 on both sides: 'same' pads (out - 1) * s + k - n in total"
CONV_SAME = ("conv2d_forward(x(1, 8, 8, 1), w(4, 4, 1, 2), stride=1, padding='same') has shape (1, 9, 9, 2), "
             "expected (1, 8, 8, 2)")
HINT = ("out[n, i, j, f] = sum over (di, dj, c) of xpad[n, i*s + di, j*s + dj, c] * w[di, dj, c, f] + b[f]; "
        "'same' pads (pad // 2) before and the rest after.")


def half_done_ex02() -> Report:
    """What a half-done ex02 gives: two passes, one mistake in two checks, two functions still stubs."""
    checks = [
        CheckResult("same_padding_amounts", Status.PASS, 1, 1, "ok", ""),
        CheckResult("conv_valid", Status.PASS, 2, 2, "ok", ""),
        CheckResult("conv_same", Status.FAIL, 0, 2, f"{CONV_SAME} -- {MISTAKE}", HINT, mistake=MISTAKE),
        CheckResult("conv_strided", Status.FAIL, 0, 2,
                    "conv2d_forward(x(1, 8, 8, 3), w(4, 4, 3, 3), stride=2, padding='same') has shape (1, 5, 5, 3), "
                    f"expected (1, 4, 4, 3) -- {MISTAKE}", HINT, mistake=MISTAKE),
        CheckResult("max_pooling", Status.NOT_ATTEMPTED, 0, 2,
                    "max_pool2d_forward is not implemented yet (it raises NotImplementedError)", "Replace it."),
        CheckResult("stride_vs_pooling_cost", Status.ERROR, 0, 1,
                    "downsample_cost raised TypeError: unsupported operand type(s) for *: 'NoneType' and 'int' "
                    "(ex02_padding_stride.py, line 58)", "Run the function yourself on a small input."),
    ]
    return Report("ex02", "Padding, stride and pooling", checks, hidden_not_run=3)


def render(report: Report, width: int, **kw) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    print_report(report, console, **kw)
    return console.export_text(clear=False).splitlines()


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines)


@pytest.mark.parametrize("width", [80, 200])
def test_compact_table_then_a_full_width_block_per_check_that_did_not_pass(width):
    lines = render(half_done_ex02(), width)
    assert all(len(line) <= width for line in lines)
    header = next(line for line in lines if "check" in line and "status" in line)
    assert "points" in header and "message" not in header and "hint" not in header  # three columns
    table_rows = [line for line in lines if line.startswith("│")]
    assert len(table_rows) == 6  # one line per check: nothing folded into the table
    # a block per FAIL / ERROR, in the order of the table, each with message, mistake, hint in that order
    starts = {name: next(i for i, line in enumerate(lines) if line.startswith(name + "  "))
              for name in ("conv_same", "conv_strided", "stride_vs_pooling_cost")}
    assert starts["conv_same"] < starts["conv_strided"] < starts["stride_vs_pooling_cost"]
    block = lines[starts["conv_same"]:starts["conv_strided"]]
    assert "FAIL" in block[0] and "0/2" in block[0] and block[0].rstrip().endswith("─")  # a rule across
    mistake_at = next(i for i, line in enumerate(block) if line.startswith("mistake: "))
    hint_at = next(i for i, line in enumerate(block) if line.startswith("hint: "))
    assert 1 < mistake_at < hint_at
    assert _joined(block[1:mistake_at]) == CONV_SAME  # the message, without the mistake glued to it
    assert _joined(block[mistake_at:hint_at]) == "mistake: " + MISTAKE
    assert _joined(block[hint_at:]) == "hint: " + HINT
    # full width: the message wraps at the terminal's width, not in a column of ~26 characters
    assert len(block[1]) > width - 20 or len(block[1]) == len(CONV_SAME)
    if width == 200:
        assert block[1] == CONV_SAME and block[mistake_at + 1] == "hint: " + HINT
    # a check not yet attempted: one line, no hint
    todo = next(i for i, line in enumerate(lines) if line.startswith("not attempted yet"))
    assert lines[todo + 1].startswith("max_pooling: max_pool2d_forward is not implemented yet")
    assert "Replace it." not in "\n".join(lines)
    assert any(line.startswith("total 3/10") for line in lines)


def test_the_half_done_exercise_is_short_at_80_columns():
    lines = render(half_done_ex02(), 80)
    # before: 56 lines, the messages folded over 4 to 14 lines of about 26 characters
    assert len(lines) <= 36, "\n".join(lines)
    longest_block_message = max(len(_joined([line])) for line in lines)
    assert longest_block_message > 70


def test_watch_shows_blocks_only_for_checks_whose_status_changed():
    before = half_done_ex02()
    after = half_done_ex02()
    after.checks[2] = CheckResult("conv_same", Status.PASS, 2, 2, "ok", "")  # fixed
    after.checks[1] = CheckResult("conv_valid", Status.FAIL, 0, 2, "conv2d_forward(...) differs -- flipped kernel",
                                  "Do not flip the kernel.", mistake="flipped kernel")  # broken by the fix
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    changed = print_changes(before, after, console)
    print_report(after, console, blocks_for=changed)
    lines = console.export_text(clear=False).splitlines()
    text = "\n".join(lines)
    assert sorted(changed) == ["conv_same", "conv_valid"]
    assert lines[0] == "now PASS: conv_same"
    assert lines[1] == "now failing: conv_valid (PASS -> FAIL)"
    assert "mistake: flipped kernel" in text  # the block of the check that changed
    assert not any(line.startswith("conv_strided  FAIL") for line in lines)  # unchanged FAIL: no block
    assert "stride_vs_pooling_cost" in text  # ... but the table always has every check
    assert not any(line.startswith("stride_vs_pooling_cost  ERROR") for line in lines)


def test_no_change_is_said_in_one_line():
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    assert print_changes(half_done_ex02(), half_done_ex02(), console) == []
    assert console.export_text().strip() == "no check changed status since the last run"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_in_a_real_terminal_80_columns_wide(tmp_path):
    """`grade ex02` on a half-done file in tmux's 80x200 terminal: what the student's terminal shows."""
    sol = (ROOT / "solutions" / "ex02_padding_stride.py").read_text()
    mutant = (ROOT / "tests" / "submissions" / "ex02" / "mutant_symmetric_padding.py").read_text()
    stub_tail = ("\n\ndef max_pool2d_forward(x, pool_size=2, stride=None, padding='valid'):\n"
                 "    raise NotImplementedError\n")
    path = tmp_path / "ex02_padding_stride.py"
    path.write_text(sol + "\n\n" + mutant.split('"""', 2)[2] + stub_tail)
    grade = Path(sys.executable).with_name("grade")
    session = f"grade-render-{uuid.uuid4().hex[:8]}"
    done = tmp_path / "done"
    cmd = f"cd {ROOT} && {grade} ex02 --file {path} --lang en; touch {done}; sleep 600"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "200", cmd], check=True)
    try:
        deadline = time.monotonic() + 300
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert done.exists(), "grade did not finish"
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session, "-S", "-", "-E", "-"],
                                capture_output=True, text=True, check=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "check" in line and "status" in line)
    assert "points" in header and "message" not in header
    block = next(i for i, line in enumerate(lines) if line.startswith("conv_same  FAIL"))
    assert lines[block + 1].startswith("conv2d_forward(x(1, 8, 8, 1)") and len(lines[block + 1]) > 70
    assert any(line.startswith("mistake: padded k // 2 on both sides") for line in lines)
    assert any(line.startswith("hint: ") for line in lines)
    assert any(line.startswith("max_pooling: max_pool2d_forward is not implemented yet") for line in lines)
    assert len(lines) <= 40, screen
