"""A busy machine's time is not the student's: a check's deadline moves by the time the child waited
for a CPU (Linux's run-queue wait, ``/proc/PID/schedstat``) and its share of the time a hypervisor stole
(``/proc/stat``), at most by ``MAX_QUEUED_CREDIT`` times the
limit (``MAX_GROWING_CREDIT`` while the child's memory grows), so that a batch on a loaded machine does not turn a fast enough submission (or a memory bomb,
which needs CPU to reach its limit) into a TIMEOUT, and an endless loop still ends in one."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader.core import session
from grader.core.errors import OutOfMemory, Timeout, Verdict
from grader.core.isolation import run_queue_wait
from grader.core.outcome import Status

HAS_SCHEDSTAT = Path("/proc/self/schedstat").exists() and hasattr(os, "sched_setaffinity")
needs_schedstat = pytest.mark.skipif(not HAS_SCHEDSTAT, reason="needs Linux's /proc/PID/schedstat")
CPU = min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0


# busy for at most two minutes, should this test's process die without killing it
SPIN = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end:\n    pass"


def _spin(n: int, cpu: int = CPU, code: str = SPIN, **kw) -> list[subprocess.Popen]:
    # each in a session of its own, like a child: with autogroups the scheduler shares a CPU between sessions
    return [subprocess.Popen([sys.executable, "-c", f"import os; os.sched_setaffinity(0, {{{cpu}}})\n{code}"],
                             start_new_session=True, **kw) for _i in range(n)]


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.kill()
    for p in procs:
        p.wait(10)


@needs_schedstat
def test_run_queue_wait_counts_the_time_a_process_waited_for_a_cpu():
    busy = _spin(3)
    sleeper = _spin(1, code="import time; print('asleep', flush=True); time.sleep(60)", stdout=subprocess.PIPE)
    try:
        assert sleeper[0].stdout.readline() == b"asleep\n"  # its start-up, which waited too, is behind it
        before = [run_queue_wait(p.pid) for p in busy + sleeper]
        time.sleep(1.5)
        after = [run_queue_wait(p.pid) for p in busy + sleeper]
    finally:
        _stop(busy + sleeper)
    waited = [b - a for a, b in zip(before, after)]
    # three processes on one CPU: each waits about two thirds of the time; the sleeper does not wait
    assert all(w > 0.3 for w in waited[:3]), waited
    assert waited[3] < 0.05, waited
    assert run_queue_wait(busy[0].pid) == 0.0  # gone
    assert run_queue_wait(-1) == 0.0


# ------------------------------------------------------------------ the deadline, with a child that never answers
# On a clock of the test's own, which moves only when the judge waits: the figures are exact, however busy the
# machine that runs the tests.

class _Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


class _Silent:
    def __init__(self, clock: _Clock):
        self.clock = clock

    def poll(self, timeout):
        self.clock.now += timeout
        return False


class _Child:
    """Never answers; has waited for a CPU ``rate`` seconds per second of wall time so far, and run
    ``runs`` seconds per second of the machine's own time (what the hypervisor did not steal)."""

    def __init__(self, clock: _Clock, rate: float, runs: float = 0.0):
        self.clock, self.rate, self.runs, self.t0, self.channel = clock, rate, runs, clock.now, _Silent(clock)
        self.steal = 0.0  # seconds per second of wall time that the hypervisor stole from the machine

    def queued(self) -> float:
        return self.rate * (self.clock.now - self.t0)

    def ran(self) -> float:
        return self.runs * (1 - self.steal) * (self.clock.now - self.t0)

    def stolen(self) -> float:
        return self.steal * (self.clock.now - self.t0)

    def rss(self) -> int:
        return 0


def _box(monkeypatch, child) -> session.Sandbox:
    monkeypatch.setattr(session, "time", child.clock)
    monkeypatch.setattr(session._iso, "stolen", child.stolen)
    box = object.__new__(session.Sandbox)
    box.child, box.memory_mb, box.baseline, box._reap = child, 100, 0, lambda: None
    return box


def _wait(monkeypatch, rate: float, limit: float, runs: float = 0.0, steal: float = 0.0) -> tuple[float, str]:
    clock = _Clock()
    child = _Child(clock, rate, runs)
    child.steal = steal
    box = _box(monkeypatch, child)
    with pytest.raises(Timeout) as e:
        box._receive(limit, "f(1)")
    return clock.now - 1000.0, e.value.message


def test_a_child_that_got_its_cpu_times_out_at_its_limit(monkeypatch):
    took, message = _wait(monkeypatch, 0.0, 0.5)
    assert took == pytest.approx(0.5), took
    assert "within 0.5 s" in message


def test_the_time_a_child_waited_for_a_cpu_is_added_to_its_deadline(monkeypatch):
    took, message = _wait(monkeypatch, 0.5, 0.6)  # half of the wall time queued: 0.6 s of running takes 1.2 s
    assert 1.15 <= took <= 1.21, took  # the credit is taken in steps of at least 0.01 s
    assert "within 0.6 s" in message  # the limit it is told is the limit it had


def test_the_added_time_is_capped(monkeypatch):
    took, _m = _wait(monkeypatch, 1.0, 0.4)  # never runs: gives up at (1 + MAX_QUEUED_CREDIT) x the limit
    assert session.MAX_QUEUED_CREDIT == 1.0
    assert took == pytest.approx(0.8), took


def test_the_time_a_hypervisor_stole_from_a_running_child_is_added_to_its_deadline(monkeypatch):
    """A virtual machine whose host runs others half of the time: a child that runs all the time it can
    gets its 0.6 s of running by 1.2 s; a sleeping one is not owed anything."""
    took, message = _wait(monkeypatch, 0.0, 0.6, runs=1.0, steal=0.5)
    assert 1.15 <= took <= 1.21, took
    assert "within 0.6 s" in message
    took, _m = _wait(monkeypatch, 0.0, 0.6, runs=0.0, steal=0.5)
    assert took == pytest.approx(0.6), took


def test_stolen_time_reads_the_machines_counter():
    from grader.core import isolation
    first = isolation.stolen()
    assert first >= 0.0 and isolation.stolen() >= first
    if Path("/proc/stat").exists():
        steal = int(Path("/proc/stat").read_text().split()[8])
        assert first == pytest.approx(steal / os.sysconf("SC_CLK_TCK") / os.cpu_count(), abs=0.05)


class _Bomb(_Child):
    """Got its CPU and blew its budget while the judge, itself kept waiting by a busy machine, was in
    the middle of looking at its memory: the reading that ends after the deadline is from before."""

    def __init__(self, clock: _Clock, slow_look: float):
        super().__init__(clock, 0.0)
        self.slow_look, self.looks = slow_look, 0

    def rss(self) -> int:
        self.looks += 1
        if self.looks == 2:  # the judge's second look takes it past the deadline and reads the old size
            self.clock.now += self.slow_look
            return 0
        return 0 if self.looks == 1 else 2**40


def test_a_judge_that_looks_late_still_sees_a_memory_bomb(monkeypatch):
    from grader.core.errors import OutOfMemory
    box = _box(monkeypatch, _Bomb(_Clock(), 0.6))
    with pytest.raises(OutOfMemory) as e:
        box._receive(0.5, "f(1)")
    assert "memory limit" in e.value.message and "100 MB" in e.value.message


class _Grower(_Child):
    """Never answers, waits for a CPU ``rate`` of the time, and holds ``mb_per_s`` more MB every second
    of wall time, up to ``most_mb``."""

    def __init__(self, clock: _Clock, rate: float, mb_per_s: float, most_mb: float = float("inf")):
        super().__init__(clock, rate)
        self.mb_per_s, self.most_mb = mb_per_s, most_mb

    def rss(self) -> int:
        return int(min(self.most_mb, self.mb_per_s * (self.clock.now - self.t0)) * 2**20)


def _grow(monkeypatch, rate: float, mb_per_s: float, limit: float, most_mb: float = float("inf")):
    clock = _Clock()
    box = _box(monkeypatch, _Grower(clock, rate, mb_per_s, most_mb))  # a budget of 100 MB
    with pytest.raises(Verdict) as e:
        box._receive(limit, "f(1)")
    return clock.now - 1000.0, e.value


def test_a_starved_child_whose_memory_grows_gets_to_its_memory_limit(monkeypatch):
    """Waiting for a CPU 90% of the time and growing 50 MB a second, it passes 100 MB at 2 s: four times
    its 0.5 s limit, beyond the credit of a child that does not grow (1 s)."""
    took, verdict = _grow(monkeypatch, 0.9, 50.0, 0.5)
    assert isinstance(verdict, OutOfMemory), verdict.message
    assert 1.95 <= took <= 2.1, took
    assert session.MAX_GROWING_CREDIT == 6.0


def test_a_growing_child_still_times_out_at_its_larger_cap(monkeypatch):
    took, verdict = _grow(monkeypatch, 1.0, 10.0, 0.5)  # never runs, never reaches 100 MB
    assert isinstance(verdict, Timeout) and "within 0.5 s" in verdict.message, verdict.message
    assert took == pytest.approx(0.5 * (1 + session.MAX_GROWING_CREDIT), abs=0.06), took


def test_a_child_that_stopped_growing_gets_the_plain_cap(monkeypatch):
    """It grew to 40 MB in its first 0.4 s, then held still for more than a second (Growth.WINDOW): the
    endless loop after an allocation gets twice its limit, like any other."""
    took, verdict = _grow(monkeypatch, 1.0, 100.0, 0.8, most_mb=40.0)
    assert isinstance(verdict, Timeout), verdict.message
    assert took == pytest.approx(1.6), took
    took, verdict = _grow(monkeypatch, 1.0, 100.0, 0.4, most_mb=40.0)  # still growing until its deadline
    assert isinstance(verdict, Timeout), verdict.message
    # more than twice its limit, and less than 5 times: the window after its last growth, then one more step
    assert 0.8 < took < 0.4 * (1 + session.MAX_GROWING_CREDIT), took


# ------------------------------------------------------------------ end to end, on both sandboxes

BURNER = textwrap.dedent('''
    """conv_output_length right, after {cpu} s of CPU on its first call, pinned to one CPU."""
    import os
    import time

    os.sched_setaffinity(0, {{{pin}}})
    _calls = []


    def conv_output_length(n, kernel_size, stride=1, padding="valid"):
        if not _calls:
            end = time.process_time() + {cpu}
            while time.process_time() < end:
                pass
        _calls.append(1)
        if padding == "same":
            return -(-n // stride)
        pad = 0 if padding == "valid" else padding
        return (n + 2 * pad - kernel_size) // stride + 1
''')


@needs_schedstat
@pytest.mark.parametrize("sandbox", ["linux", "portable"])
@pytest.mark.parametrize("credit, expected", [(20.0, Status.PASS), (0.0, Status.TIMEOUT)])
def test_a_submission_starved_of_cpu_gets_its_time(grade, monkeypatch, tmp_path, sandbox, credit, expected):
    """0.5 s of work against a 1 s limit, sharing one CPU with four busy processes (about 2.5 s of wall
    time): it passes when the wait is credited, and times out when it is not (the control)."""
    from grader.core import isolation
    monkeypatch.setenv(isolation.ENV, sandbox)
    monkeypatch.setattr(session, "MAX_QUEUED_CREDIT", credit)
    path = tmp_path / "ex01_conv_arithmetic.py"
    path.write_text(BURNER.format(cpu=0.5, pin=CPU))
    busy = _spin(4)
    try:
        time.sleep(0.5)  # all of them running
        report = grade("ex01", path, timeout=1.0, only=["length_valid"])
    finally:
        _stop(busy)
    check = next(c for c in report.checks if c.name == "length_valid")
    assert check.status is expected, (check.status, check.message)
