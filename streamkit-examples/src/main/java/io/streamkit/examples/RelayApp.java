package io.streamkit.examples;

import io.streamkit.api.OutputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.Uris;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import io.streamkit.relay.srt.SrtStreamSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The relay: RTMP (and RTMPS) ingest and playback on one port, every path fanned out to the
 * pushes configured for it.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, description = "Relay RTMP/RTMPS streams: publish to rtmp://host:PORT/app/key, play the same URL, "
        + "push each path to any number of destinations.")
public final class RelayApp implements Callable<Integer> {

    @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--rtmp-port", description = "RTMP port (default: ${DEFAULT-VALUE}).")
    int rtmpPort = 1935;

    @Option(names = "--rtmps-port", description = "RTMPS port with a self-signed certificate (off by default).")
    Integer rtmpsPort;

    @Option(names = "--srt-port", description = "SRT listener port: srt://host:PORT?streamid=publish:PATH or "
            + "read:PATH; 0 disables (default: ${DEFAULT-VALUE}).")
    int srtPort = 8890;

    @Option(names = "--http-port", description = "HLS over HTTP: http://host:PORT/{path}/index.m3u8; 0 disables "
            + "(default: ${DEFAULT-VALUE}).")
    int httpPort = 8888;

    @Option(names = "--hls-low-latency", description = "Serve Low-Latency HLS (partial segments, blocking reload).")
    boolean hlsLowLatency;

    @Option(names = "--srt-stream", paramLabel = "PATH=latency=MS,passphrase=SECRET,pbkeylen=N", description = "SRT settings of one path (default: 200 ms, no passphrase); repeatable.")
    List<String> srtStreams = new ArrayList<>();

    @Option(names = "--record-dir", paramLabel = "DIR", description = "Record every published path to "
            + "DIR/{path}/{date_time}.mp4 (fragmented while recording, then finalized with moov first).")
    Path recordDir;

    @Option(names = "--record-format", description = "Recording format: mp4 or ts (default: ${DEFAULT-VALUE}).")
    String recordFormat = "mp4";

    @Option(names = "--record-segment", description = "Start a new recording file after this long (e.g. 10m; "
            + "default: one file per publishing session).", converter = DurationConverter.class)
    Duration recordSegment = Duration.ZERO;

    @Option(names = "--push", paramLabel = "PATH=URL", description = "Push PATH to URL (rtmp://, rtmps://, local:); repeatable.")
    List<String> pushes = new ArrayList<>();

    @Option(names = "--publish-policy", description = "When a path is already live: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PublishPolicy publishPolicy = PublishPolicy.REJECT;

    @Option(names = "--grace", description = "How long players wait for a publisher that dropped (default: ${DEFAULT-VALUE}).", converter = DurationConverter.class)
    Duration grace = Duration.ofSeconds(5);

    @Option(names = "--config", paramLabel = "FILE", description = "Read more options from FILE: one option per line "
            + "(for example '--push live/show=rtmp://a.example/app/key'); '#' starts a comment.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Parses durations such as {@code 5s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT5S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value);
        }
    }

    private List<String> configLines() throws IOException {
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(config)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int space = l.indexOf(' ');
            if (space < 0) {
                args.add(l);
            } else {
                args.add(l.substring(0, space));
                args.add(l.substring(space + 1).strip());
            }
        }
        return args;
    }

    @Override
    public Integer call() throws Exception {
        if (config != null) {
            RelayApp fromFile = new RelayApp();
            new CommandLine(fromFile).parseArgs(configLines().toArray(String[]::new));
            pushes.addAll(0, fromFile.pushes);
            srtStreams.addAll(0, fromFile.srtStreams);
        }
        if (!recordFormat.equals("mp4") && !recordFormat.equals("ts")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--record-format must be mp4 or ts, got '"
                    + recordFormat + "'");
        }
        List<String[]> parsedPushes = new ArrayList<>();
        for (String p : pushes) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--push needs PATH=URL, got '" + p + "'");
            }
            parsedPushes.add(new String[]{p.substring(0, eq), p.substring(eq + 1)});
        }
        java.util.Map<String, SrtStreamSettings> perPath = parseSrtStreams();
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<StreamKit> kitRef = new java.util.concurrent.atomic.AtomicReference<>();
        StreamKit kit = StreamKit.builder().publisherGracePeriod(grace).listener(RelayApp::logEvent).listener(e -> {
            if (recordDir != null && e instanceof StreamKitEvent.StreamPublished p && kitRef.get() != null) {
                record(kitRef.get(), p.path());
            }
        }).build();
        kitRef.set(kit);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down...");
            kit.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            RtmpServer rtmp = RtmpServer.builder(kit).host(host).port(rtmpPort).publishPolicy(publishPolicy).build()
                    .start();
            String shownHost = host.equals("0.0.0.0") ? InetAddress.getLoopbackAddress().getHostAddress() : host;
            System.out.printf("RTMP  publish/play: rtmp://%s:%d/{app}/{key}   (e.g. rtmp://%s:%d/live/show)%n",
                    shownHost, rtmp.localAddress().getPort(), shownHost, rtmp.localAddress().getPort());
            if (rtmpsPort != null) {
                RtmpServer rtmps = RtmpServer.builder(kit).host(host).port(rtmpsPort).publishPolicy(publishPolicy)
                        .tlsSelfSigned().build().start();
                System.out.printf("RTMPS publish/play: rtmps://%s:%d/{app}/{key} (self-signed certificate)%n",
                        shownHost, rtmps.localAddress().getPort());
            }
            if (httpPort > 0) {
                io.streamkit.relay.hls.HlsServer hls = io.streamkit.relay.hls.HlsServer.builder(kit).host(host).port(
                        httpPort).options(io.streamkit.relay.hls.HlsOptions.defaults().withLowLatency(hlsLowLatency))
                        .build().start();
                System.out.printf("HLS   play:         http://%s:%d/{path}/index.m3u8%s%n", shownHost, hls
                        .localAddress().getPort(), hlsLowLatency ? " (low latency)" : "");
            }
            if (srtPort > 0) {
                SrtServer srt = SrtServer.builder(kit).host(host).port(srtPort).publishPolicy(publishPolicy).settings(
                        path -> perPath.getOrDefault(path, SrtStreamSettings.DEFAULT)).build().start();
                System.out.printf("SRT   publish: srt://%s:%d?streamid=publish:{path}   read: streamid=read:{path}%n",
                        shownHost, srt.localAddress().getPort());
            }
            for (String[] push : parsedPushes) {
                Stream s = kit.stream(push[0]);
                s.addOutput(OutputConfig.of(URI.create(push[1])));
                System.out.printf("push  %s -> %s%n", push[0], Uris.redact(URI.create(push[1])));
            }
        } catch (RuntimeException e) {
            kit.close();
            throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
        }
        System.out.println("Relay running; Ctrl+C to stop.");
        stopped.await();
        return 0;
    }

    /** Adds a recording output to a path that has none. */
    private void record(StreamKit kit, String path) {
        kit.findStream(path).ifPresent(s -> {
            boolean recording = s.outputs().stream().anyMatch(o -> "file".equals(o.uri().getScheme()));
            if (!recording) {
                RecordingOptions options = recordFormat.equals("ts")
                        ? RecordingOptions.mpegTs(recordDir).segment(recordSegment)
                        : RecordingOptions.mp4(recordDir).segment(recordSegment).finalizeMp4(true);
                s.addOutput(OutputConfig.of(options.toUri()));
                System.out.printf("recording %s under %s%n", path, recordDir.resolve(path));
            }
        });
    }

    private java.util.Map<String, SrtStreamSettings> parseSrtStreams() {
        java.util.Map<String, SrtStreamSettings> out = new java.util.HashMap<>();
        for (String spec : srtStreams) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(this.spec.commandLine(),
                        "--srt-stream needs PATH=key=value,..., got '" + spec + "'");
            }
            SrtStreamSettings s = SrtStreamSettings.DEFAULT;
            for (String kv : spec.substring(eq + 1).split(",")) {
                int e = kv.indexOf('=');
                String key = e < 0 ? kv : kv.substring(0, e);
                String value = e < 0 ? "" : kv.substring(e + 1);
                try {
                    s = switch (key) {
                        case "latency" -> s.withLatencyMillis(Long.parseLong(value));
                        case "passphrase" -> s.withPassphrase(value);
                        case "pbkeylen" -> s.withKeyLength(Integer.parseInt(value));
                        default -> throw new IllegalArgumentException("unknown SRT setting '" + key
                                + "' (latency, passphrase, pbkeylen)");
                    };
                } catch (IllegalArgumentException ex) {
                    throw new CommandLine.ParameterException(this.spec.commandLine(), "--srt-stream " + spec.substring(
                            0, eq) + ": " + ex.getMessage());
                }
            }
            out.put(spec.substring(0, eq), s);
        }
        return out;
    }

    private static void logEvent(StreamKitEvent e) {
        if (e instanceof StreamKitEvent.StreamPublished p) {
            System.out.printf("[%s] live: %s (%s)%n", p.time(), p.path(), p.label());
        } else if (e instanceof StreamKitEvent.StreamUnpublished u) {
            System.out.printf("[%s] ended: %s%n", u.time(), u.path());
        } else if (e instanceof StreamKitEvent.EndpointStateChanged c) {
            System.out.printf("[%s] %s %s %s %s%s%n", c.time(), c.output() ? "output" : "input", c.uri(), c.path(), c
                    .state(), c.error() == null ? "" : " (" + c.error() + ")");
        }
    }
}
