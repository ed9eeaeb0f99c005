package org.metertwin.management.image;

/**
 * What {@link ImageVerifier} decided.
 *
 * @param refusal why the image is refused, or null when it is accepted
 * @param detail  which field or byte made the decision, for a person; empty when accepted
 * @param header  the header as decoded, or null when the image is shorter than its 32 bytes
 */
public record Verdict(Refusal refusal, String detail, ImageHeader header) {
    public boolean accepted() {
        return refusal == null;
    }

    /** "ok", or the reason word and the detail: "bad-hash: ...". */
    @Override
    public String toString() {
        return accepted() ? "ok" : refusal.word() + ": " + detail;
    }
}
