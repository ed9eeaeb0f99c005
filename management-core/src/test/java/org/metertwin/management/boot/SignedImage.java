package org.metertwin.management.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;

/**
 * Builds firmware images in the format of docs/firmware-update.md (512-byte header, body, 144-byte trailer
 * of KEYHASH, SHA256 and ED25519 records), hashed and signed with the JDK's own SHA-256 and Ed25519, so the
 * bootloader is tested against code no one here wrote. Stands in for {@code metertwin image sign} until the
 * tests switch to it.
 */
final class SignedImage {
    /** RFC 8032 7.1 TEST 1: the key the bootloader is built with (boot/keys/test-ed25519.pub). */
    static final Key TEST1 = new Key("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    /** RFC 8032 7.1 TEST 2: another key, which the bootloader must not accept. */
    static final Key TEST2 = new Key("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");

    static final int APPLICATION_SLOT = 0x0802_0000;
    static final int HEADER_SIZE = 512, TRAILER_SIZE = 144;

    /** An Ed25519 key pair as RFC 8032 publishes it: the 32-byte secret and public keys. */
    record Key(byte[] secret, byte[] publicKey) {
        Key(String secret, String publicKey) {
            this(HexFormat.of().parseHex(secret), HexFormat.of().parseHex(publicKey));
        }
    }

    int loadAddress = APPLICATION_SLOT;
    int major = 1, minor = 0, revision = 0, build = 1;
    int securityCounter = 1;
    byte[] body = new byte[0];
    /** The key that signs. */
    Key signer = TEST1;
    /** The key whose hash goes into KEYHASH (normally the signer's). */
    Key claimed = TEST1;

    SignedImage version(int major, int minor, int revision, int build) {
        this.major = major;
        this.minor = minor;
        this.revision = revision;
        this.build = build;
        return this;
    }

    SignedImage counter(int counter) {
        this.securityCounter = counter;
        return this;
    }

    SignedImage body(byte[] body) {
        this.body = body.clone();
        return this;
    }

    SignedImage loadAddress(int address) {
        this.loadAddress = address;
        return this;
    }

    SignedImage signedBy(Key signer, Key claimed) {
        this.signer = signer;
        this.claimed = claimed;
        return this;
    }

    String versionText() {
        return major + "." + minor + "." + revision + "+" + build + " counter " + securityCounter;
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + body.length + TRAILER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x5746_544D).putInt(loadAddress).putShort((short) HEADER_SIZE).putShort((short) 0)
                .putInt(body.length).putInt(0).put((byte) major).put((byte) minor).putShort((short) revision)
                .putInt(build).putInt(securityCounter);
        b.position(HEADER_SIZE).put(body);
        byte[] digest = sha256(b.array(), HEADER_SIZE + body.length);
        b.putShort((short) 0x6907).putShort((short) TRAILER_SIZE);
        b.putShort((short) 0x0001).putShort((short) 32).put(sha256(claimed.publicKey(), 32));
        b.putShort((short) 0x0010).putShort((short) 32).put(digest);
        b.putShort((short) 0x0024).putShort((short) 64).put(sign(signer, digest));
        return b.array();
    }

    static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(Key key, byte[] message) {
        try {
            PrivateKey secret = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, key.secret()));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(secret);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
