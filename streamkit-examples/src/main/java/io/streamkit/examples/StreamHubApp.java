package io.streamkit.examples;

import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.relay.audience.Audience;
import io.streamkit.relay.audience.AudienceServer;
import io.streamkit.relay.hls.HlsOptions;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.rtmp.RtmpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * StreamHub: streamers register and get a stream key, go live over RTMP (OBS, FFmpeg) with it;
 * viewers pick a live stream, watch it as Low-Latency HLS with hls.js and chat beside it; the
 * streamer's page shows the viewers and the chat live. Built from the relay ({@link RtmpServer},
 * {@link HlsServer}) and the audience component ({@link Audience}, {@link AudienceServer}).
 */
@Command(name = "streamhub", mixinStandardHelpOptions = true, description = "Streamers and viewers: stream keys, "
        + "RTMP ingest, Low-Latency HLS playback, presence and chat. Pages at http://host:HTTP-PORT/ (viewers) and "
        + "/streamer.html.")
public final class StreamHubApp implements Callable<Integer> {
    /** Where the app's pages live on the class path. */
    private static final String PAGES = "/io/streamkit/examples/streamhub/";
    /** hls.js as packaged by WebJars (a Maven dependency of this module). */
    private static final String HLS_JS = "/META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js";

    @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--http-port", description = "Pages and the audience WebSocket (ws://host:PORT/audience) "
            + "(default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--rtmp-port", description = "RTMP ingest port (default: ${DEFAULT-VALUE}).")
    int rtmpPort = 1935;

    @Option(names = "--hls-port", description = "Low-Latency HLS port: http://host:PORT/live/{key}/index.m3u8 "
            + "(default: ${DEFAULT-VALUE}).")
    int hlsPort = 8888;

    @Option(names = "--hls-base-url", paramLabel = "URL", description = "Where viewers fetch HLS from, e.g. a CDN "
            + "in front of the HLS port (default: http://{page host}:{hls port}).")
    String hlsBaseUrl;

    @Option(names = "--public-host", paramLabel = "HOST", description = "Host name shown in the streamer's RTMP URL "
            + "(default: the host the page was loaded from).")
    String publicHost;

    @Option(names = "--allowed-origin", paramLabel = "URL", description = "Another browser origin allowed to use the "
            + "audience WebSocket; repeatable (default: the pages' own origin only).")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--history", description = "Chat messages a late joiner receives (default: ${DEFAULT-VALUE}).")
    int history = 50;

    @Option(names = "--chat-rate", paramLabel = "N", description = "Chat messages a user may send per 5 seconds "
            + "(default: ${DEFAULT-VALUE}).")
    int chatRate = 5;

    /** The running hub: the servers and their bound ports. */
    public static final class Running implements AutoCloseable {
        private final StreamKit kit;
        private final Audience audience;
        private final RtmpServer rtmp;
        private final HlsServer hls;
        private final AudienceServer web;

        Running(StreamKit kit, Audience audience, RtmpServer rtmp, HlsServer hls, AudienceServer web) {
            this.kit = kit;
            this.audience = audience;
            this.rtmp = rtmp;
            this.hls = hls;
            this.web = web;
        }

        /** @return the relay behind the hub */
        public StreamKit kit() {
            return kit;
        }

        /** @return the audience (users, streams, chat) */
        public Audience audience() {
            return audience;
        }

        /** @return the bound RTMP port */
        public int rtmpPort() {
            return rtmp.localAddress().getPort();
        }

        /** @return the bound HLS port */
        public int hlsPort() {
            return hls.localAddress().getPort();
        }

        /** @return the bound port of the pages and the audience WebSocket */
        public int httpPort() {
            return web.port();
        }

        @Override
        public void close() {
            web.close();
            hls.close();
            rtmp.close();
            audience.close();
            kit.close();
        }
    }

    /**
     * Starts every server of the hub.
     *
     * @return the running hub
     */
    public Running start() {
        if (chatRate < 1) {
            throw new IllegalArgumentException("--chat-rate must be at least 1, got " + chatRate);
        }
        if (history < 0) {
            throw new IllegalArgumentException("--history must not be negative, got " + history);
        }
        StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ofSeconds(2)).listener(StreamHubApp::logEvent)
                .build();
        Audience audience = Audience.builder().historySize(history).chatRateLimit(chatRate, Duration.ofSeconds(5))
                .build();
        List<AutoCloseable> started = new ArrayList<>(List.of(kit, audience));
        try {
            audience.attach(kit);
            RtmpServer rtmp = RtmpServer.builder(kit).host(host).port(rtmpPort).authenticator(audience
                    .rtmpAuthenticator()).build().start();
            started.add(0, rtmp);
            HlsServer hls = HlsServer.builder(kit).host(host).port(hlsPort).options(HlsOptions.defaults()
                    .withLowLatency(true)).build().start();
            started.add(0, hls);
            AudienceServer.Builder web = AudienceServer.builder(audience).bind(host, httpPort);
            allowedOrigins.forEach(web::allowedOrigin);
            web.resource("/", "text/html; charset=utf-8", page("index.html"));
            web.resource("/index.html", "text/html; charset=utf-8", page("index.html"));
            web.resource("/streamer.html", "text/html; charset=utf-8", page("streamer.html"));
            web.resource("/streamhub.js", "text/javascript; charset=utf-8", page("streamhub.js"));
            web.resource("/streamhub.css", "text/css; charset=utf-8", page("streamhub.css"));
            web.resource("/hls.min.js", "text/javascript; charset=utf-8", classPath(HLS_JS));
            web.resource("/config.js", "text/javascript; charset=utf-8", config(rtmp.localAddress().getPort(), hls
                    .localAddress().getPort(), audience));
            AudienceServer server = web.start();
            return new Running(kit, audience, rtmp, hls, server);
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The pages' settings, as a script that sets {@code window.STREAMHUB}. */
    private byte[] config(int boundRtmp, int boundHls, Audience audience) {
        String js = "window.STREAMHUB = {" + "\"wsPath\": \"/audience\", " + "\"rtmpPort\": " + boundRtmp + ", "
                + "\"hlsPort\": " + boundHls + ", " + "\"hlsBaseUrl\": " + jsString(hlsBaseUrl) + ", "
                + "\"publicHost\": " + jsString(publicHost) + ", " + "\"pathPrefix\": " + jsString(audience
                        .streamPath(""))
                + "};\n";
        return js.getBytes(StandardCharsets.UTF_8);
    }

    private static String jsString(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || c == '<' || c == '>') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static byte[] page(String name) {
        return classPath(PAGES + name);
    }

    private static byte[] classPath(String resource) {
        try (InputStream in = StreamHubApp.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Running hub;
        try {
            hub = start();
        } catch (RuntimeException e) {
            throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down...");
            hub.close();
            stopped.countDown();
        }, "shutdown"));
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        System.out.printf("Viewers:    http://%s:%d/%n", shown, hub.httpPort());
        System.out.printf("Streamers:  http://%s:%d/streamer.html   (register, then publish to the RTMP URL "
                + "shown there)%n", shown, hub.httpPort());
        System.out.printf("RTMP:       rtmp://%s:%d/live   stream key {key}?secret={secret}%n", shown, hub
                .rtmpPort());
        System.out.printf("HLS:        http://%s:%d/live/{key}/index.m3u8 (low latency)%n", shown, hub.hlsPort());
        System.out.printf("Audience:   ws://%s:%d/audience%n", shown, hub.httpPort());
        System.out.println("Press Ctrl+C to stop.");
        stopped.await();
        return 0;
    }

    private static void logEvent(StreamKitEvent e) {
        if (e instanceof StreamKitEvent.StreamPublished p) {
            System.out.printf("[%s] live: %s (%s)%n", p.time(), p.path(), p.label());
        } else if (e instanceof StreamKitEvent.StreamUnpublished u) {
            System.out.printf("[%s] ended: %s%n", u.time(), u.path());
        }
    }
}
