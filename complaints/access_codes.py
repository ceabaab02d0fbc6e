"""Access codes: the complainant's key to follow a complaint (never in a URL, never stored).

12 symbols from 31 (no 0/O, 1/I/L look-alikes) give about 59 bits: at the tracking rate limit an
attacker would need on the order of 10^15 years to find one code. Because the code is random and
that long, one SHA-256 is enough to store it (a password hash's stretching protects guessable
secrets, and would slow every submission for nothing).
"""

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    """A fresh code, grouped for reading aloud: "7KQM-H3TZ-P9WX"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(code: str) -> str:
    """What the complainant typed, without separators, spaces or case."""
    return re.sub(r"[\s\-_]", "", code or "").upper()


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def matches(code: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(code), stored_digest)
