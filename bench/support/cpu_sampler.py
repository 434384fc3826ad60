"""A sampling profiler by CPU time (SIGPROF): shares of functions, inclusive and own, without the
distortion of tracing every call (cProfile by process time makes small functions look dear).
The kernel's timer gives a sample every few milliseconds of CPU; run enough work for a few thousand."""

from __future__ import annotations

import collections
import signal


class Sampler:
    def __init__(self, interval: float = 0.0005, root: str = ""):
        self.root = root
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()
        self.total = 0
        self.on = False
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, interval, interval)

    def _sample(self, signum, frame) -> None:
        if not self.on:
            return
        self.total += 1
        seen: set[str] = set()
        first = True
        while frame is not None:
            code = frame.f_code
            key = f"{code.co_filename.replace(self.root, '')}:{code.co_firstlineno}({code.co_name})"
            if first:
                self.own[key] += 1
                first = False
            if key not in seen:
                seen.add(key)
                self.inclusive[key] += 1
            frame = frame.f_back

    def report(self, out, top: int = 120) -> None:
        out.write(f"{self.total} samples\n== inclusive ==\n")
        for key, n in self.inclusive.most_common(top):
            out.write(f"{100 * n / max(self.total, 1):6.1f}% {key}\n")
        out.write("== own ==\n")
        for key, n in self.own.most_common(60):
            out.write(f"{100 * n / max(self.total, 1):6.1f}% {key}\n")
