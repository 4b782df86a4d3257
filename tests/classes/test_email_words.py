"""Email addresses disguised with other languages' words for "at" and "dot" through the real to-client chain
of a default install (red team round 10, class 7; `proxy/detect/email_words.py`).

Figures at the time of writing, 150 seeded cases each, cases leaking or altered before → after:
- disguised addresses (bracketed, joined and named at-words; bracketed, joined, spaced or real dots):
  144/150 → 0/150 (the round's probe `emails_locale_obf` through a real `veil run`: 17/48 → 0/48);
- prose in those languages with the same words (`treffen uns at 10 Uhr`, `punto de venta`, `le point de vue`):
  altered 0/150, a fresh session per example.
Mutation-checked: without `email_words.read` in `views.normalize` the first class leaks again (144/150).
"""

from __future__ import annotations

from random import Random

from proxy.detect import email_words
from proxy.detect.view_map import View
from tests.classes.email_words import disguised_emails, word_lookalikes
from tests.classes.harness import ChainHarness, judge

N = 150


def test_an_untouched_disguised_address_shows_its_planted_parts_to_the_judge() -> None:
    """The yardstick: with nothing tokenized the judge reads the local part and the domain label."""
    rng = Random(20261271)
    for case in (disguised_emails(rng) for _ in range(N)):
        outcome = judge(case, [m.payload for m in case.messages])
        assert len(outcome.leaked) == len(case.planted), case.describe()


def test_an_address_spelled_with_other_languages_at_and_dot_words_is_tokenized_whole(
    fresh: ChainHarness,
) -> None:
    outcomes = fresh.run_seeded(disguised_emails, 20261271, N)
    assert len(outcomes) == N
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_prose_with_the_same_words_and_no_address_stays(fresh: ChainHarness) -> None:
    """A fresh session per example: an earlier case's learnt values must not decide this one."""
    rng = Random(20261272)
    outcomes = [ChainHarness(fresh.engine).run(word_lookalikes(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []


def test_every_name_of_the_at_sign_fires_the_cheap_scan_and_is_read() -> None:
    """The trigger lists each name's first letters apart from `_AT_NAMES`: they must not drift apart."""
    names = "arobase arroba chiocciola chiocciolina apenstaartje apestaartje snabel-a snabela klammeraffe"
    names += " affenschwanz małpa malpa zavináč zavinac kukac sobaka собака miukumauku kissanhäntä"
    names += " at-merkki arobas"
    for name in names.split():
        for spelled in (name, name.upper(), name.capitalize()):
            for text in (f"jane {spelled} acme punkt de", f"jane({spelled})acme(punkt)de"):
                assert email_words.may_hold(text), text
                assert email_words.read(View(text)).text == "jane@acme.de", text
