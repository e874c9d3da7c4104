package io.streamkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Starts one of the example applications: {@code java -jar streamkit-examples.jar <app> [options]}.
 * {@code <app> --help} lists an app's options; a bad option prints a clear error and exits with
 * a non-zero status.
 */
@Command(name = "streamkit-examples", mixinStandardHelpOptions = true, version = "StreamKit examples 0.1.0", description = "Runnable StreamKit applications.", subcommands = {
        RelayApp.class, RestreamerApp.class, SfuApp.class, StreamHubApp.class, StudioApp.class})
public final class Launcher implements Runnable {

    /**
     * @param args the app name and its options
     */
    public static void main(String[] args) {
        int code = new CommandLine(new Launcher()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
