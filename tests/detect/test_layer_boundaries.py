"""Where one encoding ends and the text after it begins, for the decoders merged from separate branches:
a base64 run's padding at a line's end is no quoted-printable soft break (the next line stays its own), and
a form field whose key starts like an HTML entity name (`&note=`, `&amount=`, `&copyright=`) is no entity."""

from __future__ import annotations

import base64
import random

from proxy.detect import decoders, views

_WORDS = ["note", "notes", "amount", "copy", "lt", "gt", "notify", "order", "para", "sect", "reg", "not"]
_HUMPS = ["Performance", "Max", "Google", "Ads", "Conversions", "Bid", "Data", "Pool", "Sale", "Cloud"]


def test_base64_padding_at_a_line_end_keeps_the_next_line_apart():
    rng = random.Random("padding")
    for _ in range(200):
        raw = bytes(rng.randrange(256) for _ in range(rng.choice([7, 8, 10, 11, 13, 14, 16, 17])))
        run = base64.b64encode(raw).decode()
        if not run.endswith("=") or "=" in run.rstrip("="):
            continue
        nxt = "".join(rng.sample(_HUMPS, 2))
        text = f"{run}\n{nxt}\nend"
        for v in decoders.decoded_views(views.view_of(text)):
            assert f"\n{nxt}\n" in v.text, (text, v.text)


def test_a_form_key_that_starts_like_an_entity_name_is_no_entity():
    rng = random.Random("form-keys")
    for _ in range(200):
        keys = rng.sample(_WORDS, 3)
        text = "&".join(f"{k}={rng.choice(['x', 'Jane+Roe', 'today', 'a%20b'])}" for k in keys)
        text = "src=crm&" + text  # no `=12` value: quoted-printable reads it as a byte (another class)
        for v in decoders.decoded_views(views.view_of(text)):
            assert not any(c in v.text for c in "¬<>©§¶®"), (text, v.text)  # an entity read out of a key
