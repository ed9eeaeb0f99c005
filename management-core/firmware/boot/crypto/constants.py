#!/usr/bin/env python3
"""Prints the SHA-256 and SHA-512 constants as FIPS 180-4 4.2.2, 4.2.3, 5.3.3 and 5.3.5 define them: the
first 32 (64) bits of the fractional parts of the cube roots of the first 64 (80) primes, and of the square
roots of the first 8 primes, by exact integer roots. sha256.c and sha512.c hold this script's output."""


def primes(n):
    found, c = [], 2
    while len(found) < n:
        if all(c % p for p in found):
            found.append(c)
        c += 1
    return found


def integer_root(x, k):
    lo, hi = 0, 1
    while hi ** k <= x:
        hi *= 2
    while lo < hi - 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if mid ** k <= x else (lo, mid)
    return lo


def fraction_bits(p, k, bits):
    return integer_root(p << (k * bits), k) & ((1 << bits) - 1)


def table(name, values, digits, per_line):
    suffix = "u" if digits == 8 else "ull"
    print(name)
    for i in range(0, len(values), per_line):
        print("    " + ", ".join("0x%0*x%s" % (digits, v, suffix) for v in values[i:i + per_line]) + ",")


ps = primes(80)
table("SHA-256 K", [fraction_bits(p, 3, 32) for p in ps[:64]], 8, 8)
table("SHA-256 H(0)", [fraction_bits(p, 2, 32) for p in ps[:8]], 8, 8)
table("SHA-512 K", [fraction_bits(p, 3, 64) for p in ps[:80]], 16, 4)
table("SHA-512 H(0)", [fraction_bits(p, 2, 64) for p in ps[:8]], 16, 4)
