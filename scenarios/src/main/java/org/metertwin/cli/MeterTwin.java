package org.metertwin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code metertwin} command line. */
@Command(name = "metertwin", mixinStandardHelpOptions = true, version = "MeterTwin 0.1.0",
        description = "Full-system emulator and digital twin of a dual-core smart meter.")
public final class MeterTwin implements Runnable {
    /** Exit status for bad input of any kind. */
    public static final int BAD_INPUT = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine(args.length > 0 ? args[0] : "").execute(args));
    }

    /** The configured command line with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine("");
    }

    /**
     * The configured command line: user mistakes give one line on stderr and status 2, never a trace. When
     * {@code first} (the first argument) names a subcommand, only that one is built: picocli introspects
     * each subcommand's annotations when it is added, a share of every command's start-up. Anything else
     * (help, a misspelt name) gets them all, so help lists them and suggestions still work.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new MeterTwin());
        switch (first) {
            case "exec" -> cl.addSubcommand(new ExecCommand());
            case "run" -> cl.addSubcommand(new RunCommand());
            case "image" -> cl.addSubcommand(new ImageCommand());
            default -> {
                cl.addSubcommand(new ExecCommand());
                cl.addSubcommand(new RunCommand());
                cl.addSubcommand(new ImageCommand());
            }
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("metertwin: " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        return cl;
    }
}
