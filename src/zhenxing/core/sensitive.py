"""Sensitive personal information (个人信息保护法): resident ID numbers and phone numbers.

Stored encrypted with AES-256-GCM (a random 96-bit nonce per value, the field's purpose as
associated data so a ciphertext cannot be moved to another column), next to a keyed
HMAC-SHA256 "blind index" for exact lookup and uniqueness, and a precomputed mask for display.
Both keys are derived (HKDF) from one master key, ``DATA_KEY``, which comes from the
environment (``make demo`` generates one into ``var/``); losing it loses the data, so operators
back it up apart from the database.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = b"\x01"


@dataclass(frozen=True)
class _Keys:
    aead: AESGCM
    mac: bytes


def generate_key() -> str:
    """A new master key, as ``DATA_KEY`` expects it (URL-safe base64 of 32 random bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=4)
def _derive(master_b64: str) -> _Keys:
    try:
        master = base64.urlsafe_b64decode(master_b64.encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("DATA_KEY is not valid base64") from exc
    if len(master) != 32:
        raise ImproperlyConfigured("DATA_KEY must encode exactly 32 bytes")

    def hkdf(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    return _Keys(
        aead=AESGCM(hkdf(b"zhenxing field encryption v1")), mac=hkdf(b"zhenxing blind index v1")
    )


def _keys() -> _Keys:
    key = getattr(settings, "DATA_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set DATA_KEY or DATA_KEY_FILE (make demo generates one into var/data_key)."
        )
    return _derive(key)


def encrypt(value: str, *, purpose: str) -> str:
    """Encrypt ``value`` for the column named by ``purpose`` (e.g. ``"person.id_number"``)."""
    return sealer(purpose).seal(value)


def decrypt(token: str, *, purpose: str) -> str:
    raw = base64.b64decode(token.encode())
    if raw[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    return _keys().aead.decrypt(raw[1:13], raw[13:], purpose.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact lookup: equal inputs give equal outputs, nothing else leaks."""
    return sealer(purpose).index(value)


class Sealer:
    """``encrypt`` and ``blind_index`` for one column, with its key and purpose looked up once:
    an import seals two columns of a million rows, and the per-call lookups cost more than the
    cipher."""

    __slots__ = ("_aead", "_mac", "_prefix", "_purpose")

    def __init__(self, keys: _Keys, purpose: str) -> None:
        self._aead = keys.aead
        self._mac = keys.mac
        self._purpose = purpose.encode()
        self._prefix = self._purpose + b"\x00"

    def seal(self, value: str) -> str:
        # A fresh nonce from the OS for every value, never a pool: a pool copied into a forked
        # import worker would hand out the same nonces twice.
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode(), self._purpose)
        return binascii.b2a_base64(_VERSION + nonce + sealed, newline=False).decode()

    def index(self, value: str) -> str:
        # hmac.digest: the one-shot C implementation, a fifth of hmac.new(...).hexdigest().
        return hmac.digest(self._mac, self._prefix + value.encode(), "sha256").hex()


def sealer(purpose: str) -> Sealer:
    """The column's ``Sealer`` under the current ``DATA_KEY`` (fetch it once per import)."""
    return _sealer(_keys(), purpose)


@lru_cache(maxsize=16)
def _sealer(keys: _Keys, purpose: str) -> Sealer:
    return Sealer(keys, purpose)


def mask_id_number(number: str) -> str:
    """``520281********1234``: the issuing region and the last four, as cadres expect."""
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[-4:]


def mask_id_text(text: str) -> str:
    """An ID number as typed, possibly wrong, masked for an error report: only the first six and
    last four characters, like ``mask_id_number``. Text under ten characters is shown as typed:
    it identifies nobody, and seeing it helps the cadre find the typo."""
    if len(text) >= 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    return text


def mask_phone(phone: str) -> str:
    """``138****5678`` for mobiles; other numbers keep only their last four."""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[-4:]
    return "*" * max(0, len(phone) - 4) + phone[-4:]


def normalise_id_number(raw: str) -> str:
    """Full-width digits and letters to ASCII, spaces and separators out, ``x`` to ``X``."""
    if raw and raw.isascii() and raw.isalnum():
        return raw.upper()  # the usual case, a million times in an import
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch.isalnum()).upper()


def normalise_phone(raw: str) -> str:
    if raw and raw.isascii() and raw.isdigit():
        return raw
    text = unicodedata.normalize("NFKC", raw or "")
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    return digits[3:] if digits.startswith("+86") else digits
