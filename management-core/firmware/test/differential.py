#!/usr/bin/env python3
"""Differential check of boot/crypto/ed25519.c against OpenSSL (through pyca/cryptography), on the host.
Not part of CI (it needs the cryptography package): run by hand after changing the verification code.

Seeded: N random key pairs and messages (0-299 bytes), each signature verified as made and with one bit
flipped in the message, R, S (below bit 248, so S stays an integer OpenSSL reads) or the public key, in
turn. Both sides must accept exactly the same cases. Usage: differential.py [N] (default 1500)."""
import os
import random
import subprocess
import sys
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

here = os.path.dirname(os.path.abspath(__file__))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
rng = random.Random(1234)
cases = []
for i in range(n):
    key = Ed25519PrivateKey.from_private_bytes(bytes(rng.getrandbits(8) for _ in range(32)))
    public = key.public_key().public_bytes_raw()
    message = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 300)))
    signature = key.sign(message)
    cases.append((public, signature, message))
    p, s, m = bytearray(public), bytearray(signature), bytearray(message)
    kind = i % 4
    if kind == 0 and m:
        m[rng.randrange(len(m))] ^= 1 << rng.randrange(8)
    elif kind == 1:
        s[rng.randrange(32)] ^= 1 << rng.randrange(8)
    elif kind == 2:
        s[32 + rng.randrange(31)] ^= 1 << rng.randrange(8)
    else:
        p[rng.randrange(32)] ^= 1 << rng.randrange(8)
    cases.append((bytes(p), bytes(s), bytes(m)))

with tempfile.TemporaryDirectory() as work:
    exe = os.path.join(work, "differential")
    subprocess.run(["cc", "-O2", "-std=gnu11", "-I" + os.path.join(here, "..", "boot"),
                    os.path.join(here, "host_differential.c")]
                   + [os.path.join(here, "..", "boot", "crypto", f) for f in ("ed25519.c", "sha512.c")]
                   + ["-o", exe], check=True)
    lines = "".join("%s %s %s\n" % (p.hex(), s.hex(), m.hex()) for p, s, m in cases)
    ours = subprocess.run([exe], input=lines, capture_output=True, text=True, check=True).stdout.split()

disagree = []
valid = 0
for (p, s, m), result in zip(cases, ours):
    try:
        Ed25519PublicKey.from_public_bytes(p).verify(s, m)
        openssl = True
    except (InvalidSignature, ValueError):
        openssl = False
    valid += openssl
    if openssl != (result == "0"):
        disagree.append("%s %s %s: OpenSSL %s, ours %s" % (p.hex(), s.hex(), m.hex(), openssl, result))
print("%d cases, %d valid for OpenSSL, %d disagreements" % (len(cases), valid, len(disagree)))
for d in disagree[:10]:
    print(d)
sys.exit(1 if disagree else 0)
