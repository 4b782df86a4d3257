"""One small recipe for the vault's cryptography, in the spirit of Fernet/MultiFernet.

master secret --HKDF(info="veil kek v{n}")--> KEK_n --AES-GCM(AAD=session,version)--> per-session DEK
DEK --AES-GCM(AAD=session,token)--> each value; DEK --HKDF(info="veil token hmac")--> the session's token key;
DEK --HKDF(info="veil request state")--> the key sealing backends' `requestState` (AAD=session,binding).

Associated data binds every ciphertext to where it belongs, so a row copied to another token or session
fails authentication. Every failure raises the one opaque DecryptError: callers learn nothing about why.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vault.errors import DecryptError
from vault.tokens import derive_token

KEY_BYTES = 32
NONCE_BYTES = 12
_CHECK_MESSAGE = b"veil key check"
_SEP = b"\x1f"


def hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(secret)


def new_dek() -> bytes:
    return os.urandom(KEY_BYTES)


def token_hmac_key(dek: bytes) -> bytes:
    """The session's token key: derived, so the DEK itself never keys two different primitives."""
    return hkdf(dek, b"veil token hmac")


def approval_hmac_key(dek: bytes) -> bytes:
    """The session's key for approval call hashes: a bare hash of a call's arguments would let anyone
    holding the audit log confirm a guessed value; this one needs the session's key, and dies with it."""
    return hkdf(dek, b"veil approval hmac")


class Keyring:
    """Versioned key-encryption keys derived from one master secret."""

    def __init__(self, master_secret: bytes) -> None:
        self._master = master_secret
        self._keks: dict[int, bytes] = {}

    def __repr__(self) -> str:
        return "Keyring(<secret>)"

    def kek(self, version: int) -> bytes:
        if version not in self._keks:
            self._keks[version] = hkdf(self._master, f"veil kek v{version}".encode())
        return self._keks[version]

    def tool_pin_key(self) -> bytes:
        """The key that seals pinned tool definitions and keys their fingerprints (vault.tool_pins): the
        same in every process sharing the vault and its master secret."""
        return hkdf(self._master, b"veil tool pins")

    def check_value(self, version: int) -> bytes:
        """Stored beside each key version so a wrong master key is caught before anything is written."""
        return hmac.new(self.kek(version), _CHECK_MESSAGE, hashlib.sha256).digest()

    def matches(self, version: int, check: bytes) -> bool:
        return hmac.compare_digest(self.check_value(version), check)

    def wrap_dek(self, dek: bytes, session_id: str, version: int) -> bytes:
        return _seal(self.kek(version), dek, _dek_aad(session_id, version))

    def unwrap_dek(self, wrapped: bytes, session_id: str, version: int) -> bytes:
        return _open(self.kek(version), wrapped, _dek_aad(session_id, version))


class SessionCipher:
    """One session's keys, all derived from its data key: values sealed to (session, name), the token key
    (same value, same token; unlinkable across sessions) and the approval key. The data key stays in here."""

    def __init__(self, session_id: str, dek: bytes) -> None:
        self.session_id = session_id
        self._dek = dek
        self._token_key = token_hmac_key(dek)
        self._approval_key = approval_hmac_key(dek)
        # A key of its own: request states are sealed per message, outside the data key's use count.
        self._state_key = hkdf(dek, b"veil request state")

    def __repr__(self) -> str:
        return f"SessionCipher(session_id={self.session_id!r})"

    def seal(self, name: str, text: str) -> bytes:
        """`text` encrypted and bound to this session and `name` (a token, or `result:<id>`)."""
        return encrypt_value(self._dek, self.session_id, name, text)

    def open(self, name: str, blob: bytes) -> str:
        """The text sealed under `name` in this session; DecryptError if it was sealed anywhere else."""
        return decrypt_value(self._dek, self.session_id, name, blob)

    def seal_state(self, binding: str, text: str) -> bytes:
        """A backend's `requestState`, encrypted and bound to this session and `binding` (its backend)."""
        return encrypt_value(self._state_key, self.session_id, "request-state:" + binding, text)

    def open_state(self, binding: str, blob: bytes) -> str:
        """The state sealed under `binding` in this session; DecryptError if it was sealed anywhere else."""
        return decrypt_value(self._state_key, self.session_id, "request-state:" + binding, blob)

    def token_for(self, entity_type: str, value: str, scope: str | None = None) -> str:
        return derive_token(self._token_key, entity_type, value, scope)

    def call_hash(self, canonical: bytes) -> str:
        """HMAC-SHA256 of a call's canonical form under the approval key."""
        return hmac.new(self._approval_key, canonical, hashlib.sha256).hexdigest()

    def fingerprint(self, label: bytes, text: str) -> str:
        """A keyed fingerprint of text that may hold a value (a malformed token): it confirms no guess
        without the session's key."""
        data = label + _SEP + text.encode("utf-8", "surrogatepass")
        return hmac.new(self._token_key, data, hashlib.sha256).hexdigest()[:20]


def encrypt_value(dek: bytes, session_id: str, token: str, plaintext: str) -> bytes:
    data = plaintext.encode("utf-8", "surrogatepass")  # lone surrogates from JSON must round-trip
    return _seal(dek, data, _value_aad(session_id, token))


def decrypt_value(dek: bytes, session_id: str, token: str, blob: bytes) -> str:
    data = _open(dek, blob, _value_aad(session_id, token))
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise DecryptError() from None


def seal_bytes(key: bytes, data: bytes, aad: bytes) -> bytes:
    """AES-256-GCM with a random nonce, bound to `aad`."""
    return _seal(key, data, aad)


def open_bytes(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """The inverse of `seal_bytes`; DecryptError if the blob or its `aad` was altered."""
    return _open(key, blob, aad)


def _dek_aad(session_id: str, version: int) -> bytes:
    return b"veil dek" + _SEP + session_id.encode() + _SEP + str(version).encode()


def _value_aad(session_id: str, token: str) -> bytes:
    return session_id.encode() + _SEP + token.encode()


@functools.lru_cache(maxsize=1024)
def _aead(key: bytes) -> AESGCM:
    """One AESGCM object per key: building one costs more than sealing a short value with it."""
    return AESGCM(key)


def _seal(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _aead(key).encrypt(nonce, data, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        blob = bytes(blob)
        if len(blob) < NONCE_BYTES + 16:
            raise ValueError
        return _aead(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError, TypeError):
        raise DecryptError() from None
