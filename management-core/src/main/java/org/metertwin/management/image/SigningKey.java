package org.metertwin.management.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key (RFC 8032: the 32-byte secret from which the scalar and the public key are
 * derived), read from and written to OpenSSL's PEM "PRIVATE KEY" form.
 */
public final class SigningKey {
    /** The RFC 8032 TEST 1 key, whose secret is published: for tests and the bundled demo only. */
    public static final String TEST_KEY_RESOURCE = "/keys/test-signing-key.pem";

    private final Ed25519PrivateKeyParameters key;

    private SigningKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
    }

    /** A new key from {@code random}: key generation is the one place the image tool wants entropy. */
    public static SigningKey generate(SecureRandom random) {
        return new SigningKey(new Ed25519PrivateKeyParameters(random));
    }

    /** The key whose RFC 8032 secret is {@code secret} (32 bytes). */
    public static SigningKey fromSecret(byte[] secret) {
        if (secret.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 secret key is 32 bytes, got " + secret.length);
        }
        return new SigningKey(new Ed25519PrivateKeyParameters(secret, 0));
    }

    /** Reads a PEM PKCS#8 Ed25519 private key file. */
    public static SigningKey read(Path file) throws ImageInputException {
        return fromPem(file, InputFile.read(file, "an Ed25519 private key (PEM)"));
    }

    /** Parses PEM text; {@code file} names it in messages. */
    public static SigningKey fromPem(Path file, byte[] text) throws ImageInputException {
        byte[] der = PemKeyFile.der(file, text, PemKeyFile.PRIVATE);
        PrivateKeyInfo info;
        byte[] secret;
        try {
            info = PrivateKeyInfo.getInstance(der);
            PemKeyFile.requireEd25519(file, info.getPrivateKeyAlgorithm());
            secret = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageInputException ie) {
                throw ie;
            }
            throw new ImageInputException(file, "damaged PKCS#8 private key: " + PemKeyFile.oneLine(e));
        }
        if (secret.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new ImageInputException(file, "Ed25519 private key of " + secret.length + " bytes, expected 32");
        }
        SigningKey k = fromSecret(secret);
        // PKCS#8 v2 (RFC 5958) may carry the public key too; one that disagrees means a damaged file
        if (info.getPublicKeyData() != null
                && !Arrays.equals(info.getPublicKeyData().getOctets(), k.verificationKey().encoded())) {
            throw new ImageInputException(file, "the public key stored with the private key does not belong to it");
        }
        return k;
    }

    /** The published test key ({@link #TEST_KEY_RESOURCE}). */
    public static SigningKey testKey() {
        try (InputStream in = SigningKey.class.getResourceAsStream(TEST_KEY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEST_KEY_RESOURCE + " is missing from the class path");
            }
            return fromPem(Path.of(TEST_KEY_RESOURCE), in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public VerificationKey verificationKey() {
        return VerificationKey.of(key.generatePublicKey().getEncoded());
    }

    /** The RFC 8032 5.1.6 signature (pure Ed25519, no context) of {@code message}: deterministic. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** PEM "PRIVATE KEY", PKCS#8 v1 with the 32-byte secret as OpenSSL 3 writes it (48 bytes of DER). */
    public String toPem() {
        try {
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(PemKeyFile.ID_ED25519),
                    new DEROctetString(key.getEncoded())).getEncoded(ASN1Encoding.DER);
            return PemKeyFile.encode(PemKeyFile.PRIVATE, der);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of a private key failed", e);
        }
    }
}
