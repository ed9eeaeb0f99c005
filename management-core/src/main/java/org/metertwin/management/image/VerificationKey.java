package org.metertwin.management.image;

import java.io.IOException;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key (the 32-byte encoding of RFC 8032 5.1.2), read from and written to OpenSSL's PEM
 * "PUBLIC KEY" form. Images name the key they are signed for by its {@link #keyHash()}.
 */
public final class VerificationKey {
    private final Ed25519PublicKeyParameters key;

    private VerificationKey(Ed25519PublicKeyParameters key) {
        this.key = key;
    }

    /** The key encoded as {@code a} (32 bytes); an encoding that is not a curve point is refused. */
    public static VerificationKey of(byte[] a) {
        if (a.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + a.length);
        }
        return new VerificationKey(new Ed25519PublicKeyParameters(a, 0));
    }

    /** Reads a PEM SubjectPublicKeyInfo Ed25519 public key file. */
    public static VerificationKey read(Path file) throws ImageInputException {
        return fromPem(file, InputFile.read(file, "an Ed25519 public key (PEM)"));
    }

    /** Parses PEM text; {@code file} names it in messages. */
    public static VerificationKey fromPem(Path file, byte[] text) throws ImageInputException {
        byte[] der = PemKeyFile.der(file, text, PemKeyFile.PUBLIC);
        byte[] a;
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
            PemKeyFile.requireEd25519(file, info.getAlgorithm());
            a = info.getPublicKeyData().getOctets();
        } catch (RuntimeException e) {
            throw new ImageInputException(file, "damaged SubjectPublicKeyInfo: " + PemKeyFile.oneLine(e));
        }
        if (a.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new ImageInputException(file, "Ed25519 public key of " + a.length + " bytes, expected 32");
        }
        try {
            return of(a);
        } catch (IllegalArgumentException e) {
            throw new ImageInputException(file, "not an Ed25519 public key: its 32 bytes are not a point of the curve");
        }
    }

    /** The 32-byte encoding. */
    public byte[] encoded() {
        return key.getEncoded();
    }

    /** SHA-256 of {@link #encoded()}: the value of an image's KEYHASH record. */
    public byte[] keyHash() {
        return Sha256.of(encoded());
    }

    /** RFC 8032 5.1.7 verification of a pure Ed25519 signature. */
    public boolean verify(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** PEM "PUBLIC KEY" as OpenSSL writes it (44 bytes of DER). */
    public String toPem() {
        try {
            byte[] der = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PemKeyFile.ID_ED25519), encoded())
                    .getEncoded(ASN1Encoding.DER);
            return PemKeyFile.encode(PemKeyFile.PUBLIC, der);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of a public key failed", e);
        }
    }
}
