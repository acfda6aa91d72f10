"""The VAPID key pair: `vapid_keys` prints one that signs and verifies, and half a pair in the
environment stops start-up with a sentence."""

import base64
import os
import subprocess
import sys
from io import StringIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.management import call_command


def _bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_vapid_keys_prints_a_matching_p256_pair_for_the_environment() -> None:
    out = StringIO()
    call_command("vapid_keys", stdout=out, stderr=StringIO())
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    public, private = _bytes(lines["VAPID_PUBLIC_KEY"]), _bytes(lines["VAPID_PRIVATE_KEY"])
    assert len(public) == 65
    assert public[0] == 4  # uncompressed point
    key = ec.derive_private_key(int.from_bytes(private, "big"), ec.SECP256R1())
    signature = key.sign(b"claims", ec.ECDSA(hashes.SHA256()))
    verifier = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    verifier.verify(signature, b"claims", ec.ECDSA(hashes.SHA256()))


def test_push_is_off_in_the_tests_and_half_a_key_pair_stops_start_up() -> None:
    assert settings.VAPID_PUBLIC_KEY == settings.VAPID_PRIVATE_KEY == ""
    env = {**os.environ, "DJANGO_EMBEDDED": "true", "VAPID_PUBLIC_KEY": "BAAA"}
    env.pop("VAPID_PRIVATE_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY" in result.stderr
