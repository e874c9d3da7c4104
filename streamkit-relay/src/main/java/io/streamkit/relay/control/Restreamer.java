package io.streamkit.relay.control;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.ConnectionInfo;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.store.ControlStore;
import io.streamkit.relay.control.store.JdbcControlStore;
import io.streamkit.relay.rtmp.RtmpRequest;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restreamer: a self-hosted control plane over the relay. Inputs (RTMP with a generated stream
 * key, SRT with stream id, per-stream passphrase and latency, pulls from RTMP/SRT URLs) and their
 * outputs (RTMP/RTMPS/SRT push, SRT listener pull) are managed through a REST API and a WebSocket,
 * by users with roles, every change audited and persisted, and restored at the next start.
 *
 * <pre>{@code
 * Restreamer r = Restreamer.builder(kit)
 *         .dataDir(Path.of("/var/lib/streamkit"))   // embedded store; or .store(JdbcControlStore.postgres(...))
 *         .rtmpPort(1935).srtPort(8890).httpPort(8080)
 *         .initialAdmin("admin@example.com", System.getenv("ADMIN_PASSWORD"))
 *         .start();
 * }</pre>
 *
 * <p>Ingest URLs follow the MediaMTX conventions: {@code rtmp://host:1935/{key}} and
 * {@code srt://host:8890?streamid=publish:{key}} ({@code read:{key}} to play). Only configured,
 * enabled inputs may be published to, each only over its own protocol.
 */
public final class Restreamer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(Restreamer.class);

    private final Builder config;
    private final ControlStore store;
    private final boolean ownsStore;
    private final FlowManager flows;
    private final ControlService service;
    private final AuthService auth;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private RtmpServer rtmp;
    private SrtServer srt;
    private EventHub events;
    private ControlMetrics metrics;
    private ControlHttpServer http;
    private Runnable removeKitListener = () -> {
    };
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean closed;

    private Restreamer(Builder b) {
        this.config = b;
        if (b.store != null) {
            store = b.store;
            ownsStore = false;
        } else if (b.dataDir != null) {
            store = JdbcControlStore.embedded(b.dataDir);
            ownsStore = true;
        } else {
            store = JdbcControlStore.inMemory();
            ownsStore = true;
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "streamkit-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streamkit-control-timer");
            t.setDaemon(true);
            return t;
        });
        flows = new FlowManager(b.kit, this::kickPublishers);
        service = new ControlService(store, flows, b.clock, this::connections, this::kick);
        auth = new AuthService(store, b.clock, b.passwordIterations, service::audit);
    }

    /**
     * @param kit the kit that runs the streams; the restreamer closes with it
     * @return a builder: RTMP 1935, SRT 8890, HTTP 8080 on all interfaces, in-memory store
     */
    public static Builder builder(StreamKit kit) {
        return new Builder(kit);
    }

    /**
     * Opens the ports, restores the stored inputs and outputs, and creates the first admin when
     * asked and no user exists.
     *
     * @return this restreamer
     */
    public Restreamer start() {
        auth.start(config.adminEmail, config.adminPassword);
        rtmp = RtmpServer.builder(config.kit).host(config.host).port(config.rtmpPort).authenticator(this::authorizeRtmp)
                .build().start();
        if (config.srtPort >= 0) {
            srt = SrtServer.builder(config.kit).host(config.host).port(config.srtPort).settings(path -> flows
                    .srtSettings(path).orElse(null)).authorizer(id -> id.publish()
                            ? flows.mayPublish(id.path(),
                                    InputKind.SRT)
                            : flows.mayRead(id.path()))
                    .build().start();
        }
        service.restore();
        events = new EventHub(service, auth, flows::inputByKey, scheduler);
        removeKitListener = config.kit.addListener(events::onKitEvent);
        metrics = new ControlMetrics(() -> service.statuses(Actor.system()), store, this::connections,
                events::clients);
        ControlApi api = new ControlApi(service, auth, serverInfo());
        http = new ControlHttpServer(api, events, metrics::scrape, config.dashboard, workers).start(config.host,
                config.httpPort);
        config.kit.register(this);
        log.info("restreamer started: API http://{}:{}/api/v1/, RTMP {}, SRT {}", shownHost(), httpAddress()
                .getPort(), rtmp.localAddress().getPort(), srt == null ? "off" : srt.localAddress().getPort());
        return this;
    }

    private Map<String, Object> serverInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        String host = config.publicHost != null ? config.publicHost : shownHost();
        m.put("rtmpUrl", "rtmp://" + host + ":" + rtmp.localAddress().getPort() + "/{key}");
        if (srt != null) {
            m.put("srtUrl", "srt://" + host + ":" + srt.localAddress().getPort() + "?streamid=publish:{key}");
            m.put("srtReadUrl", "srt://" + host + ":" + srt.localAddress().getPort() + "?streamid=read:{key}");
        }
        m.put("version", "0.1.0");
        return m;
    }

    private String shownHost() {
        return config.host.equals("0.0.0.0") || config.host.equals("::") ? "127.0.0.1" : config.host;
    }

    private boolean authorizeRtmp(RtmpRequest req) {
        if (req.action() == RtmpRequest.Action.PUBLISH) {
            return flows.mayPublish(req.path(), InputKind.RTMP);
        }
        return flows.mayRead(req.path());
    }

    private List<ConnectionInfo> connections() {
        List<ConnectionInfo> all = new ArrayList<>();
        if (rtmp != null) {
            all.addAll(rtmp.connections());
        }
        if (srt != null) {
            all.addAll(srt.connections());
        }
        return all;
    }

    private boolean kick(String id) {
        return (rtmp != null && rtmp.kick(id)) || (srt != null && srt.kick(id));
    }

    private void kickPublishers(String path) {
        for (ConnectionInfo c : connections()) {
            if (c.publishing() && path.equals(c.path())) {
                kick(c.id());
            }
        }
    }

    /** @return the operations on inputs, outputs and connections, for embedding without HTTP */
    public ControlService service() {
        return service;
    }

    /** @return the user and session operations */
    public AuthService auth() {
        return auth;
    }

    /** @return the store */
    public ControlStore store() {
        return store;
    }

    /** @return the bound HTTP address */
    public InetSocketAddress httpAddress() {
        return http.localAddress();
    }

    /** @return the bound RTMP address */
    public InetSocketAddress rtmpAddress() {
        return rtmp.localAddress();
    }

    /** @return the bound SRT address, or {@code null} when SRT is off */
    public InetSocketAddress srtAddress() {
        return srt == null ? null : srt.localAddress();
    }

    /** @return the Prometheus exposition text */
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
        }
        removeKitListener.run();
        if (events != null) {
            events.close();
        }
        CompletableFuture<Void> httpClosed = http == null
                ? CompletableFuture.completedFuture(null)
                : http
                        .closeAsync();
        flows.close();
        CompletableFuture<Void> rtmpClosed = rtmp == null
                ? CompletableFuture.completedFuture(null)
                : rtmp
                        .closeAsync();
        CompletableFuture<Void> srtClosed = srt == null ? CompletableFuture.completedFuture(null) : srt.closeAsync();
        CompletableFuture.allOf(httpClosed, rtmpClosed, srtClosed).whenComplete((v, e) -> {
            workers.shutdown();
            scheduler.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (ownsStore) {
                store.close();
            }
            closeFuture.complete(null);
        });
        return closeFuture;
    }

    /** Configures a {@link Restreamer}. */
    public static final class Builder {
        final StreamKit kit;
        String host = "0.0.0.0";
        String publicHost;
        int rtmpPort = 1935;
        int srtPort = 8890;
        int httpPort = 8080;
        Path dataDir;
        ControlStore store;
        String adminEmail;
        String adminPassword;
        boolean dashboard = true;
        int passwordIterations = 310_000;
        Clock clock = Clock.systemUTC();

        private Builder(StreamKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
        }

        /** @param host interface to bind every port on @return this builder */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param host host name shown in ingest URLs (default: the bound host) @return this builder */
        public Builder publicHost(String host) {
            this.publicHost = host;
            return this;
        }

        /** @param port RTMP port, 0 for any @return this builder */
        public Builder rtmpPort(int port) {
            this.rtmpPort = checkPort(port, "rtmpPort");
            return this;
        }

        /** @param port SRT port, 0 for any, -1 to disable SRT @return this builder */
        public Builder srtPort(int port) {
            if (port != -1) {
                checkPort(port, "srtPort");
            }
            this.srtPort = port;
            return this;
        }

        /** @param port HTTP port of the API, dashboard and metrics, 0 for any @return this builder */
        public Builder httpPort(int port) {
            this.httpPort = checkPort(port, "httpPort");
            return this;
        }

        /** @param dir directory of the embedded store (created when missing) @return this builder */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** @param store a store of your own (e.g. PostgreSQL); not closed by the restreamer @return this */
        public Builder store(ControlStore store) {
            this.store = store;
            return this;
        }

        /**
         * Creates this admin at start when no user exists yet; without it, the first start logs a
         * one-time setup link instead.
         *
         * @param email the admin's email
         * @param password the admin's password (10–256 characters)
         * @return this builder
         */
        public Builder initialAdmin(String email, String password) {
            this.adminEmail = email;
            this.adminPassword = password;
            return this;
        }

        /** @param on whether to serve the web dashboard at {@code /} (default true) @return this builder */
        public Builder dashboard(boolean on) {
            this.dashboard = on;
            return this;
        }

        /** @param n PBKDF2 iterations for new password hashes (default 310000) @return this builder */
        public Builder passwordIterations(int n) {
            if (n < 1000) {
                throw new IllegalArgumentException("passwordIterations must be at least 1000, got " + n);
            }
            this.passwordIterations = n;
            return this;
        }

        /** @param clock the clock for tokens, lock-outs and audit times (tests) @return this builder */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return a started restreamer
         * @throws io.streamkit.api.TransportException when a port cannot be bound (everything opened
         *         so far is closed again)
         */
        public Restreamer start() {
            Restreamer r = new Restreamer(this);
            try {
                return r.start();
            } catch (RuntimeException e) {
                r.closeAsync().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> null).join();
                throw e;
            }
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
            }
            return port;
        }
    }
}
