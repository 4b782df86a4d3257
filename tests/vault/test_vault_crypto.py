"""The crypto recipe: round trips, associated data binding, and one opaque error."""

from __future__ import annotations

import pytest

from vault.crypto import Keyring, decrypt_value, encrypt_value, new_dek, token_hmac_key
from vault.errors import DecryptError


@pytest.mark.parametrize("value", ["bob@example.com", "Zoë Ünïcødé 日本 🙂", "lone \ud800 surrogate", ""])
def test_values_round_trip_including_unicode_and_lone_surrogates(value: str) -> None:
    dek = new_dek()
    assert decrypt_value(dek, "s1", "[[X:a]]", encrypt_value(dek, "s1", "[[X:a]]", value)) == value


def test_a_ciphertext_does_not_decrypt_under_another_session_or_token() -> None:
    dek = new_dek()
    blob = encrypt_value(dek, "s1", "[[X:a]]", "secret")
    for session, token in [("s2", "[[X:a]]"), ("s1", "[[X:b]]")]:
        with pytest.raises(DecryptError):
            decrypt_value(dek, session, token, blob)


def test_edited_or_truncated_ciphertext_raises_the_one_opaque_error() -> None:
    dek = new_dek()
    blob = bytearray(encrypt_value(dek, "s1", "t", "secret"))
    blob[-1] ^= 1
    for bad in (bytes(blob), b"", b"x" * 5):
        with pytest.raises(DecryptError) as e:
            decrypt_value(dek, "s1", "t", bad)
        assert str(e.value) == "ciphertext failed authentication"
        assert e.value.__cause__ is None


def test_a_wrapped_data_key_is_bound_to_its_session_and_key_version() -> None:
    ring, dek = Keyring(b"m" * 32), new_dek()
    wrapped = ring.wrap_dek(dek, "s1", 1)
    assert ring.unwrap_dek(wrapped, "s1", 1) == dek
    for session, version in [("s2", 1), ("s1", 2)]:
        with pytest.raises(DecryptError):
            ring.unwrap_dek(wrapped, session, version)
    with pytest.raises(DecryptError):
        Keyring(b"n" * 32).unwrap_dek(wrapped, "s1", 1)


def test_the_key_check_value_tells_a_wrong_master_key_apart() -> None:
    right, wrong = Keyring(b"m" * 32), Keyring(b"n" * 32)
    assert right.matches(1, right.check_value(1))
    assert not wrong.matches(1, right.check_value(1))
    assert right.check_value(1) != right.check_value(2)
    assert "m" * 32 not in repr(right)


def test_the_token_key_is_derived_not_the_data_key_itself() -> None:
    dek = new_dek()
    assert token_hmac_key(dek) != dek and token_hmac_key(dek) == token_hmac_key(dek)
