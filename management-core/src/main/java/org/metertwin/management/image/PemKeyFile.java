package org.metertwin.management.image;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The PEM side of a key file, as OpenSSL writes Ed25519 keys: a "PRIVATE KEY" block holding PKCS#8
 * (RFC 5208/5958) or a "PUBLIC KEY" block holding SubjectPublicKeyInfo (RFC 5280), algorithm
 * id-Ed25519 1.3.101.112 without parameters (RFC 8410).
 */
final class PemKeyFile {
    /** id-Ed25519, RFC 8410 section 3. */
    static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    static final String PRIVATE = "PRIVATE KEY";
    static final String PUBLIC = "PUBLIC KEY";

    private PemKeyFile() {
    }

    /** The DER inside the first PEM block of {@code text}, which must be labelled {@code label}. */
    static byte[] der(Path file, byte[] text, String label) throws ImageInputException {
        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(new String(text, StandardCharsets.ISO_8859_1)))) {
            pem = reader.readPemObject();
        } catch (IOException | RuntimeException e) { // no END line, bad base64
            throw new ImageInputException(file, "damaged PEM: " + oneLine(e));
        }
        if (pem == null) {
            throw new ImageInputException(file, "not a PEM key file (no \"-----BEGIN " + label + "-----\" line)");
        }
        String type = pem.getType();
        if (type.equals(label)) {
            return pem.getContent();
        }
        if (type.equals("ENCRYPTED PRIVATE KEY")) {
            throw new ImageInputException(file, "an encrypted private key; decrypt it first"
                    + " (openssl pkey -in " + file + " -out PLAIN.pem)");
        }
        throw new ImageInputException(file, "holds " + article(type) + " " + type + ", expected an Ed25519 " + label);
    }

    /** Checks that the key's algorithm is Ed25519, naming what it is otherwise. */
    static void requireEd25519(Path file, AlgorithmIdentifier algorithm) throws ImageInputException {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (!oid.equals(ID_ED25519)) {
            String name = algorithmName(oid);
            throw new ImageInputException(file, article(name) + " " + name + " key (OID " + oid.getId()
                    + "), expected Ed25519 (OID " + ID_ED25519.getId() + ")");
        }
        if (algorithm.getParameters() != null) {
            throw new ImageInputException(file, "Ed25519 key with algorithm parameters, which RFC 8410 forbids");
        }
    }

    private static String algorithmName(ASN1ObjectIdentifier oid) {
        return switch (oid.getId()) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.110" -> "X25519";
            case "1.3.101.111" -> "X448";
            case "1.3.101.113" -> "Ed448";
            default -> "non-Ed25519";
        };
    }

    /** PEM text as OpenSSL writes it: 64 base64 characters a line, LF line ends. */
    static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** "a" or "an" before a PEM label or an algorithm name, read as English readers say them (an RSA, an X25519). */
    static String article(String word) {
        String first = word.split("[ -]", 2)[0];
        char c = first.isEmpty() ? 'x' : Character.toUpperCase(first.charAt(0));
        boolean vowelSound = "AEIOU".indexOf(c) >= 0 || c == 'X'
                || (first.length() <= 3 && first.equals(first.toUpperCase(java.util.Locale.ROOT)) && "FHLMNRS".indexOf(c) >= 0);
        return vowelSound ? "an" : "a";
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
