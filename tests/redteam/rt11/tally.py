# ruff: noqa: E501
"""Per-class, per-variant breakdown of round 11's outputs (out/*.json): which planted strings were readable."""

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rt9"))
from driver import view

for f in sorted((Path(__file__).parent / "out").glob("*.json")):
    d = json.loads(f.read_text())
    t = defaultdict(lambda: [0, 0, set()])
    for c, o in zip(d["cases"], d["outs"], strict=False):
        v = view(o)
        key = (c["cls"], c["desc"])
        t[key][1] += 1
        if "keep" in c:
            lost = [k for k in c["keep"] if k.casefold() not in v]
            if lost:
                t[key][0] += 1
                t[key][2].add("LOST " + ",".join(lost))
            continue
        bad = [p for p in c.get("plant", []) if p.casefold() in v]
        if bad:
            t[key][0] += 1
            t[key][2].update(bad[:4])
    print(f"## {f.stem}")
    for (cl, de), (a, b, ex) in sorted(t.items()):
        print(f"  {cl} | {de}: {a}/{b}  {sorted(ex)[:3] if a else ''}")
