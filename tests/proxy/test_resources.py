"""Backend resource accounting on real processes: a call's window sees the tree's peak memory and CPU."""

from __future__ import annotations

import subprocess
import sys
import time

from proxy import metrics
from proxy.resources import TreeSampler, UsageBook

MiB = 1 << 20
# On a line on stdin: a child process allocates 120 MiB and holds it a while; this process spins CPU for
# 0.3 s, waits for the child and says "done" (the test's window ends after that).
SCRIPT = """
import subprocess, sys, time
sys.stdin.readline()
code = "import sys, time; b = b'\\x01' * (120 << 20); print('held', flush=True); time.sleep(0.5)"
child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
child.stdout.readline()
end = time.process_time() + 0.3
while time.process_time() < end:
    pass
child.wait()
print("done", flush=True)
sys.stdin.readline()
"""


def test_a_window_charges_the_peak_of_the_whole_tree_and_the_cpu_spent_during_it():
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid, "tree-test", interval=0.05, refresh=0.05).start()
    try:
        assert sampler.ready.wait(10)
        idle = sampler.begin()
        assert idle is not None
        time.sleep(0.1)
        quiet = sampler.end(idle)
        window = sampler.begin()
        assert window is not None and proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "done\n"
        cost = sampler.end(window)
    finally:
        proc.communicate("done\n", timeout=10)
        sampler.stop()
    assert quiet is not None and cost is not None
    assert quiet.peak_rss_bytes < 60 * MiB and quiet.cpu_seconds < 0.05
    assert cost.peak_rss_bytes > 120 * MiB  # the child's memory, seen by the sampler while it lived
    assert cost.cpu_seconds >= 0.25
    assert metrics.BACKEND_MEMORY.labels("tree-test")._value.get() == 0  # stopped: no stale reading


def test_a_backend_without_a_process_here_has_no_window_and_costs_nothing():
    book = UsageBook()
    assert book.begin("http-backend") is None
    assert book.end(None) is None


def test_a_window_on_a_process_that_is_gone_reports_what_was_seen_and_never_raises():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    sampler = TreeSampler(proc.pid, "gone").start()
    assert sampler.ready.wait(10)
    book = UsageBook()
    book.attach(sampler)
    cost = book.end(book.begin("gone"))
    sampler.stop()
    assert cost is not None and cost.peak_rss_bytes == 0 and cost.cpu_seconds == 0


def test_a_call_forwarded_before_the_first_reading_is_charged_from_that_reading_on():
    held = "import sys, time; b = b'\\x01' * (120 << 20); print('held', flush=True); sys.stdin.readline()"
    proc = subprocess.Popen(
        [sys.executable, "-c", held], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    sampler = TreeSampler(proc.pid, "early-call", interval=0.05)
    try:
        window = sampler.begin()  # the sampler's thread has not read the tree yet
        assert window is not None and window.cpu_start is None
        sampler.start()
        assert sampler.ready.wait(10)
        cost = sampler.end(window)
    finally:
        proc.communicate("done\n", timeout=10)
        sampler.stop()
    assert cost is not None and cost.peak_rss_bytes > 120 * MiB


def test_a_call_answered_before_the_first_reading_has_no_figures():
    sampler = TreeSampler(1, "never-read")  # never started: no reading ever arrives
    window = sampler.begin()
    assert window is not None
    assert sampler.end(window) is None
