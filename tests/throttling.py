"""Solving the proof-of-work challenge of a throttled page or answer, as the browser's widget
does (portal.throttle)."""

import base64
import html
import json
import re

import altcha

WIDGET = re.compile(r'<altcha-widget challengejson="([^"]+)"')


def challenge_on(page: str) -> dict | None:
    """The challenge a page asks its browser to solve, or None."""
    found = WIDGET.search(page)
    return json.loads(html.unescape(found.group(1))) if found else None


def solve(challenge: dict) -> str:
    """The widget's payload for `challenge`: base64 of the JSON with the number found."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"],
        challenge["salt"],
        challenge["algorithm"],
        challenge["maxNumber"],
    )
    assert solution is not None, "the challenge has no solution within its work"
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()
