package org.metertwin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code metertwin} command line. */
@Command(name = "metertwin", mixinStandardHelpOptions = true, version = "MeterTwin 0.1.0",
        description = "Full-system emulator and digital twin of a dual-core smart meter.",
        subcommands = {ExecCommand.class, RunCommand.class, ImageCommand.class})
public final class MeterTwin implements Runnable {
    /** Exit status for bad input of any kind. */
    public static final int BAD_INPUT = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: user mistakes give one line on stderr and status 2, never a trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MeterTwin());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("metertwin: " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        return cl;
    }
}
