"""Backend resource accounting: the memory (RSS) and CPU time of each backend's process tree, per call.

A stdio backend is a process tree (the sandbox launcher, the server, whatever it spawns). A `TreeSampler`
per backend process reads the tree with psutil from a daemon thread every `interval` seconds. It lists the
tree's members (a scan of /proc) every `refresh` seconds when idle, and at every reading while a call is in
flight, so that a child a call spawns for a few hundred milliseconds is seen. It exports the tree's RSS and
CPU time as metrics labelled by the backend's label only, and keeps the peak RSS of each call in flight. A
call's `Window` opens when the request is forwarded (`begin`) and closes when it is answered (`end`): its peak
memory is the largest tree RSS seen meanwhile (the samples taken during it and a reading at its end), its
CPU time the tree's CPU time at the end minus at the start (Linux counts it in 10 ms ticks). Calls that
overlap share the tree, so each is charged the tree's CPU time during its window — an upper bound, exact
for one call at a time.

A process that went away between two readings is dropped; a sampler whose root is gone reads zero. Nothing
here can fail a call: accounting that cannot read the tree reports nothing rather than blocking a message.
psutil is imported and the tree first read in the sampler's thread, so a proxy's start does not wait for
it. A call forwarded before that first reading is charged from it (its CPU time from the first reading on);
one answered before it has no figures.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from proxy import metrics

if TYPE_CHECKING:
    import psutil  # imported by the sampler's thread: not on the path to the client's `initialize`

log = logging.getLogger(__name__)

SAMPLE_SECONDS = 0.1
REFRESH_SECONDS = 1.0


@dataclass
class Window:
    """One call's view of its backend's tree: CPU time when it started, the peak RSS seen since."""

    cpu_start: float | None  # None until the sampler's first reading (a call forwarded before it)
    peak_rss: int
    sampler: TreeSampler | None = None


@dataclass(frozen=True)
class CallUsage:
    """What a call cost its backend: peak tree RSS in bytes, and CPU seconds (user + system)."""

    peak_rss_bytes: int
    cpu_seconds: float


@dataclass
class TreeSampler:
    """Samples one backend process tree until `stop`; see the module docstring."""

    pid: int
    label: str
    interval: float = SAMPLE_SECONDS
    refresh: float = REFRESH_SECONDS
    rss: int = 0  # the tree's RSS at the last reading
    cpu: float = 0.0  # the tree's CPU seconds at the last reading (gone children included: see _cpu_of)
    _procs: dict[int, psutil.Process] = field(default_factory=dict, repr=False)
    _open: dict[int, Window] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _exported_cpu: float = 0.0
    _listed: float = 0.0
    ready: threading.Event = field(default_factory=threading.Event, repr=False)  # the first reading is in

    def start(self) -> TreeSampler:
        threading.Thread(target=self._run, name=f"veil-usage-{self.pid}", daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:  # a reading in progress does not export after this
            self._stop.set()
            metrics.BACKEND_MEMORY.labels(self.label).set(0)

    def _run(self) -> None:
        import psutil

        try:
            self._procs = {self.pid: psutil.Process(self.pid)}
        except psutil.Error:
            self._procs = {}
        self.sample()
        self.ready.set()
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        """One reading of the tree: RSS and CPU, the metrics, and every open window's peak."""
        now = time.monotonic()
        if self._open or now - self._listed >= self.refresh:  # a call's children may live 100s of ms
            self._list_tree()
            self._listed = now
        rss, cpu = self._read()
        with self._lock:
            self.rss = rss
            if cpu > self.cpu:
                self.cpu = cpu
            for window in self._open.values():
                window.peak_rss = max(window.peak_rss, rss)
                if window.cpu_start is None:
                    window.cpu_start = self.cpu
            delta, self._exported_cpu = self.cpu - self._exported_cpu, self.cpu
            if not self._stop.is_set():
                metrics.BACKEND_MEMORY.labels(self.label).set(rss)
                if delta > 0:
                    metrics.BACKEND_CPU.labels(self.label).inc(delta)

    def _list_tree(self) -> None:
        import psutil

        root = self._procs.get(self.pid)
        if root is None:
            return
        try:
            children = root.children(recursive=True)
        except psutil.Error:
            return
        known = dict(self._procs)
        self._procs = {self.pid: root, **{c.pid: known.get(c.pid, c) for c in children}}

    def _read(self) -> tuple[int, float]:
        import psutil

        rss, cpu = 0, 0.0
        for pid, proc in list(self._procs.items()):
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    cpu += _cpu_of(proc)
            except psutil.Error:
                self._procs.pop(pid, None)
        return rss, cpu

    def begin(self) -> Window | None:
        """A call was forwarded: its window opens with a fresh reading of the tree's CPU time (one read of
        /proc/PID/stat per process: this is on the path of every request). Its peak starts from nothing:
        the last sample may be an earlier call's, and is not charged to this one. Before the sampler's first
        reading the window waits for it (psutil is not imported yet on this thread's path)."""
        if not self.ready.is_set():
            with self._lock:
                pending = Window(cpu_start=None, peak_rss=0, sampler=self)
                self._open[id(pending)] = pending
            return pending
        import psutil

        cpu = 0.0
        for pid, proc in list(self._procs.items()):
            try:
                cpu += _cpu_of(proc)
            except psutil.Error:
                self._procs.pop(pid, None)
        with self._lock:
            window = Window(cpu_start=max(cpu, self.cpu), peak_rss=0, sampler=self)
            self._open[id(window)] = window
        return window

    def end(self, window: Window) -> CallUsage | None:
        """The call was answered: its peak RSS and the CPU seconds the tree spent during it; None for a call
        answered before the sampler's first reading."""
        if not self.ready.is_set():
            with self._lock:
                self._open.pop(id(window), None)
            return None
        rss, cpu = self._read()
        with self._lock:
            self._open.pop(id(window), None)
            cpu = max(cpu, self.cpu)
            peak = max(window.peak_rss, rss)
            start = cpu if window.cpu_start is None else window.cpu_start
        return CallUsage(peak_rss_bytes=peak, cpu_seconds=max(0.0, cpu - start))


def _cpu_of(proc: psutil.Process) -> float:
    """User + system CPU seconds of a process and of its children it has waited for (a sandbox launcher
    that waited for its backend keeps the backend's time)."""
    t = proc.cpu_times()
    return float(t.user + t.system + t.children_user + t.children_system)


class UsageBook:
    """The samplers of one session's backends, by backend label (several behind a multiplexer). A
    restarted backend replaces its sampler; calls opened on the old one end on the old one."""

    def __init__(self) -> None:
        self._samplers: dict[str, TreeSampler] = {}

    def attach(self, sampler: TreeSampler) -> None:
        self._samplers[sampler.label] = sampler

    def detach(self, sampler: TreeSampler) -> None:
        if self._samplers.get(sampler.label) is sampler:
            del self._samplers[sampler.label]

    def begin(self, label: str) -> Window | None:
        """A window on the backend's tree, or None for a backend with no process here (HTTP)."""
        sampler = self._samplers.get(label)
        return sampler.begin() if sampler is not None else None

    def end(self, window: Window | None) -> CallUsage | None:
        if window is None or window.sampler is None:
            return None
        try:
            return window.sampler.end(window)
        except Exception as exc:  # accounting never fails a call
            log.warning("could not read the backend's resource use", extra={"error": type(exc).__name__})
            return None
