"""Round 11 probe: runs the named generator classes of gens.py in one `veil run` session (default install),
round 9's two controls last, and prints leaks per class. Not collected by pytest (no test_ prefix).

    cd /tmp/wt-rt11 && /work/main/.venv/bin/python tests/redteam/rt11/probe.py sheets_2d
"""

import sys
from collections import defaultdict
from pathlib import Path

# Round 9's harness (driver, hostile backend, value makers), used in place; this round's outputs stay here.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rt9"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import driver
import gens
from driver import judge, report, run, save, view

driver.HERE = Path(__file__).resolve().parent
driver.BACKEND_DIR = Path(__file__).resolve().parents[1] / "rt9"


def main():
    names = sys.argv[1:]
    cases = []
    for n in names:
        cases += getattr(gens, n)()
    _, outs, late, err = run(cases, per_case_timeout=40.0)
    save("-".join(names), cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, o, _b in rows:
        tally[c["cls"]][1] += 1
        if c.get("keep") is not None:
            vv = view(o)
            changed = [k for k in c["keep"] if k.casefold() not in vv]
            if changed:
                tally[c["cls"]][0] += 1
                print(f"[CHANGED] {c['cls']}: {c['desc']}\n    lost: {changed}\n    <- {o[-1][:400]}")
        else:
            tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class (leaked or changed / tried):")
    for k, (a, b) in sorted(tally.items()):
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
