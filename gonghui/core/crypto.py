"""Encryption at rest for personal ID numbers, and the keyed digest used to find them."""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt_text(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def keyed_digest(value: str) -> str:
    """HMAC-SHA256 of the normalised value: equal inputs match, the digest reveals nothing."""
    if not value:
        return ""
    normalised = value.strip().upper()
    return hmac.new(settings.FIELD_DIGEST_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110105********1234: region code and last four, the rest hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
