package org.metertwin.cli;

/** The {@code --gdb [ADDRESS:]PORT} option of exec and run: 127.0.0.1 unless an address is given. */
record GdbAddress(String host, int port) {
    static final String LOOPBACK = "127.0.0.1";

    /** The option's value, or null when it is malformed (the caller names the option in its message). */
    static GdbAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        String port = spec.substring(colon + 1);
        if (colon == 0 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            return null;
        }
        return new GdbAddress(colon > 0 ? spec.substring(0, colon) : LOOPBACK, Integer.parseInt(port));
    }

    static String expected(String spec) {
        return expected("--gdb", spec);
    }

    static String expected(String option, String spec) {
        return option + " " + spec + ": expected [ADDRESS:]PORT with a port from 0 to 65535";
    }
}
