package org.metertwin.management.image;

/**
 * An image's version, written major.minor.revision+build as MCUboot's {@code image_version}: one byte,
 * one byte, two bytes, four bytes in the header.
 */
public record ImageVersion(int major, int minor, int revision, long build) {
    public static final ImageVersion ZERO = new ImageVersion(0, 0, 0, 0);

    public ImageVersion {
        check("major", major, 0xFF);
        check("minor", minor, 0xFF);
        check("revision", revision, 0xFFFF);
        check("build", build, 0xFFFF_FFFFL);
    }

    private static void check(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is out of range 0.." + max);
        }
    }

    /**
     * Parses {@code MAJOR[.MINOR[.REVISION]][+BUILD]}, decimal, missing parts 0 (as MCUboot's imgtool
     * takes it). The exception's message says what is wrong, for the CLI to put after the option's name.
     */
    public static ImageVersion parse(String text) {
        String expected = "expected MAJOR.MINOR.REVISION+BUILD such as 1.2.3+4, got '" + text + "'";
        int plus = text.indexOf('+');
        String dotted = plus < 0 ? text : text.substring(0, plus);
        String[] parts = dotted.split("\\.", -1);
        if (parts.length > 3 || (plus >= 0 && plus == text.length() - 1)) {
            throw new IllegalArgumentException(expected);
        }
        long[] v = new long[4];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(parts[i], expected);
        }
        if (plus >= 0) {
            v[3] = number(text.substring(plus + 1), expected);
        }
        String[] names = {"major", "minor", "revision", "build"};
        long[] max = {0xFF, 0xFF, 0xFFFF, 0xFFFF_FFFFL};
        for (int i = 0; i < 4; i++) {
            if (v[i] > max[i]) {
                throw new IllegalArgumentException(names[i] + " " + v[i] + " is out of range 0.." + max[i] + " in '"
                        + text + "'");
            }
        }
        return new ImageVersion((int) v[0], (int) v[1], (int) v[2], v[3]);
    }

    private static long number(String digits, String expected) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(expected);
        }
        return Long.parseLong(digits);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + revision + "+" + build;
    }
}
