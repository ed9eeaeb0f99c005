package org.metertwin.management.image;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256 (FIPS 180-4) of a byte range, for the image hash and the key hash. */
final class Sha256 {
    private Sha256() {
    }

    static byte[] of(byte[] data, int offset, int length) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, offset, length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    static byte[] of(byte[] data) {
        return of(data, 0, data.length);
    }
}
