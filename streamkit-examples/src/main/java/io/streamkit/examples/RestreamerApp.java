package io.streamkit.examples;

import io.streamkit.api.StreamKit;
import io.streamkit.relay.control.Restreamer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The restreamer: RTMP and SRT ingest, any number of RTMP/RTMPS/SRT destinations per input, a REST
 * and WebSocket API, users with roles and 2FA, an audit log, Prometheus metrics and a web
 * dashboard, with its configuration kept in an embedded database.
 */
@Command(name = "restreamer", mixinStandardHelpOptions = true, description = "Self-hosted restreamer: inputs over "
        + "RTMP/SRT, outputs to RTMP/RTMPS/SRT, web dashboard, REST/WebSocket API, Prometheus metrics.")
public final class RestreamerApp implements Callable<Integer> {

    @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--public-host", description = "Host name shown in ingest URLs (default: the bound host).")
    String publicHost;

    @Option(names = "--http-port", description = "Dashboard, API and metrics port (default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--rtmp-port", description = "RTMP ingest port (default: ${DEFAULT-VALUE}).")
    int rtmpPort = 1935;

    @Option(names = "--srt-port", description = "SRT ingest port; -1 disables SRT (default: ${DEFAULT-VALUE}).")
    int srtPort = 8890;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the configuration, users and audit log "
            + "are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("streamkit-data");

    @Override
    public Integer call() throws Exception {
        StreamKit kit = StreamKit.builder().build();
        Restreamer restreamer = Restreamer.builder(kit).host(host).publicHost(publicHost).httpPort(httpPort).rtmpPort(
                rtmpPort).srtPort(srtPort).dataDir(dataDir).initialAdmin(System.getenv("STREAMKIT_ADMIN_EMAIL"), System
                        .getenv("STREAMKIT_ADMIN_PASSWORD"))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down...");
            restreamer.close();
            kit.close();
            stopped.countDown();
        }, "shutdown"));
        String shown = publicHost != null
                ? publicHost
                : (host.equals("0.0.0.0") ? "127.0.0.1" : host);
        int port = restreamer.httpAddress().getPort();
        System.out.printf("Dashboard:  http://%s:%d/%n", shown, port);
        System.out.printf("API:        http://%s:%d/api/v1/   (events: ws://%s:%d/api/v1/events)%n", shown, port, shown,
                port);
        System.out.printf("Metrics:    http://%s:%d/metrics%n", shown, port);
        System.out.printf("Ingest:     rtmp://%s:%d/{key}", shown, restreamer.rtmpAddress().getPort());
        if (restreamer.srtAddress() != null) {
            System.out.printf("   srt://%s:%d?streamid=publish:{key}", shown, restreamer.srtAddress().getPort());
        }
        System.out.println();
        restreamer.auth().setupToken().filter(t -> !t.isEmpty()).ifPresentOrElse(token -> System.out.printf(
                "First login: no user exists yet. Open http://%s:%d/#setup=%s to create the admin account (the link "
                        + "works once).%n",
                shown, port, token),
                () -> System.out.printf(
                        "First login: sign in at http://%s:%d/ with your admin account%s.%n", shown, port, System
                                .getenv("STREAMKIT_ADMIN_EMAIL") != null
                                        ? " (" + System.getenv(
                                                "STREAMKIT_ADMIN_EMAIL") + ")"
                                        : ""));
        System.out.println("Data:       " + dataDir.toAbsolutePath() + "   Press Ctrl+C to stop.");
        stopped.await();
        return 0;
    }
}
