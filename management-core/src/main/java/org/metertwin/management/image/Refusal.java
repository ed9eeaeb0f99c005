package org.metertwin.management.image;

/**
 * Why an image is refused, in the order the checks run (docs/firmware-update.md, "What the bootloader
 * checks"): the {@link #word()} is what the bootloader records in its event log.
 */
public enum Refusal {
    BAD_HEADER("bad-header"),
    WRONG_LOAD_ADDRESS("wrong-load-address"),
    TOO_LARGE("too-large"),
    BAD_TRAILER("bad-trailer"),
    WRONG_KEY("wrong-key"),
    BAD_HASH("bad-hash"),
    BAD_SIGNATURE("bad-signature"),
    ROLLBACK("rollback");

    private final String word;

    Refusal(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
