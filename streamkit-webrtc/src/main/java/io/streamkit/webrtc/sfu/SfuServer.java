package io.streamkit.webrtc.sfu;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.webrtc.dtls.DtlsCertificate;
import io.streamkit.webrtc.sdp.MediaPolicy;
import io.streamkit.webrtc.signaling.PeerAuthenticator;
import io.streamkit.webrtc.signaling.SignalingHub;
import io.streamkit.webrtc.signaling.SignalingServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC SFU: rooms and the signaling protocol on a WebSocket ({@link SignalingHub},
 * {@link SignalingServer}) and the media plane on one UDP port. Participants publish on one
 * PeerConnection and receive every other participant's tracks on a second one; RTP is forwarded
 * without decoding.
 *
 * <pre>{@code
 * SfuServer sfu = SfuServer.builder().httpPort(8080).udpPort(40000)
 *         .announcedAddress("203.0.113.7").allowedOrigin("https://app.example.com").clientPage(true)
 *         .build().start();
 * // ws://host:8080/ws
 * }</pre>
 */
public final class SfuServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(SfuServer.class);

    private final Builder config;
    private SfuEngine engine;
    private SignalingHub hub;
    private SignalingServer signaling;
    private CompletableFuture<Void> closing;

    private SfuServer(Builder config) {
        this.config = config;
    }

    /** @return a builder: signaling on 0.0.0.0:8080{@code /ws}, media on an ephemeral UDP port */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the UDP port and the signaling port.
     *
     * @return this server
     */
    public synchronized SfuServer start() {
        if (engine != null) {
            throw new IllegalStateException("already started");
        }
        String announced = config.announcedAddress != null
                ? config.announcedAddress
                : defaultAnnouncedAddress(
                        config.host);
        engine = new SfuEngine(config.host, config.udpPort, announced, config.announcedPort, config.policy,
                config.certificate != null ? config.certificate : DtlsCertificate.generate());
        if (config.bridgeKit != null) {
            engine.bridge(new SfuEngine.StreamBridge(config.bridgeKit, config.bridgeNaming));
        }
        SignalingHub.Builder hb = SignalingHub.builder().reconnectGrace(config.reconnectGrace).mediaFactory(engine)
                .maxPeersPerRoom(config.maxPeersPerRoom);
        if (config.authenticator != null) {
            hb.authenticator(config.authenticator);
        }
        hub = hb.build();
        SignalingServer.Builder sb = SignalingServer.builder(hub).host(config.host).port(config.httpPort)
                .path(config.path);
        config.allowedOrigins.forEach(sb::allowedOrigin);
        if (config.clientPage) {
            sb.clientPage();
        }
        try {
            signaling = sb.build().start();
        } catch (RuntimeException e) {
            hub.close();
            engine.close();
            throw e;
        }
        log.info("SFU: signaling ws://{}:{}{}, media udp {}:{} (announced {}:{})", signaling.localAddress()
                .getHostString(), signaling.localAddress().getPort(), config.path,
                engine.localAddress().getHostString(),
                engine.localAddress().getPort(), announced, engine.announcedPort());
        return this;
    }

    /** @return the signaling server's address */
    public InetSocketAddress signalingAddress() {
        return signaling.localAddress();
    }

    /** @return the media port's address */
    public InetSocketAddress mediaAddress() {
        return engine.localAddress();
    }

    /** @return the rooms and participants */
    public SignalingHub hub() {
        return hub;
    }

    /** @return media statistics, per participant and for the server */
    public SfuStats stats() {
        return engine.stats();
    }

    /** Closes signaling (participants leave), then the media plane. Idempotent. */
    @Override
    public synchronized CompletableFuture<Void> closeAsync() {
        if (closing == null) {
            closing = CompletableFuture.runAsync(() -> {
                if (signaling != null) {
                    signaling.close();
                }
                if (hub != null) {
                    hub.close();
                }
                if (engine != null) {
                    engine.close();
                }
            });
        }
        return closing;
    }

    private static String defaultAnnouncedAddress(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            for (NetworkInterface ni : interfaces) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces: {}", e.getMessage());
        }
        return "127.0.0.1";
    }

    /** Builds an {@link SfuServer}. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int httpPort = 8080;
        private int udpPort;
        private String path = "/ws";
        private String announcedAddress;
        private int announcedPort;
        private final List<String> allowedOrigins = new ArrayList<>();
        private boolean clientPage;
        private io.streamkit.api.StreamKit bridgeKit;
        private java.util.function.BinaryOperator<String> bridgeNaming;
        private Duration reconnectGrace = Duration.ofSeconds(10);
        private int maxPeersPerRoom = 100;
        private PeerAuthenticator authenticator;
        private MediaPolicy policy = MediaPolicy.defaults();
        private DtlsCertificate certificate;

        private Builder() {
        }

        /**
         * @param host the address both ports bind to
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the signaling (HTTP/WebSocket) port, 0 for an ephemeral one
         * @return this builder
         */
        public Builder httpPort(int port) {
            this.httpPort = checkPort(port, "httpPort");
            return this;
        }

        /**
         * @param port the media UDP port, 0 for an ephemeral one
         * @return this builder
         */
        public Builder udpPort(int port) {
            this.udpPort = checkPort(port, "udpPort");
            return this;
        }

        /**
         * @param path the WebSocket path
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * @param address the IP address written in the host candidate (the public address when the
         *     server is behind NAT); by default the bound address, or the first non-loopback IPv4
         *     address when bound to all interfaces
         * @return this builder
         */
        public Builder announcedAddress(String address) {
            this.announcedAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param port the UDP port written in the host candidate (a forwarded port); by default the
         *     bound port
         * @return this builder
         */
        public Builder announcedPort(int port) {
            this.announcedPort = checkPort(port, "announcedPort");
            return this;
        }

        /**
         * @param origin a browser origin allowed to connect ({@code scheme://host[:port]} or {@code *})
         * @return this builder
         */
        public Builder allowedOrigin(String origin) {
            allowedOrigins.add(Objects.requireNonNull(origin, "origin"));
            return this;
        }

        /**
         * @param on serve the demo client page at {@code /}
         * @return this builder
         */
        public Builder clientPage(boolean on) {
            this.clientPage = on;
            return this;
        }

        /**
         * Publishes every participant's media into a stream of {@code kit}, named
         * {@code webrtc/{room}/{user}}: VP8 video reassembled into frames and Opus audio, on one
         * timeline per participant. A compositor's stream source, or anything else built on
         * streams, can then use a guest. Other codecs are logged and not bridged.
         *
         * @param kit the kit whose streams receive the participants
         * @return this builder
         */
        public Builder bridgeTo(io.streamkit.api.StreamKit kit) {
            return bridgeTo(kit, (room, user) -> "webrtc/" + room + "/" + user);
        }

        /**
         * Publishes every participant's media into a stream of {@code kit} named by {@code naming}.
         *
         * @param kit    the kit whose streams receive the participants
         * @param naming (room id, user id) → stream path
         * @return this builder
         * @see #bridgeTo(io.streamkit.api.StreamKit)
         */
        public Builder bridgeTo(io.streamkit.api.StreamKit kit, java.util.function.BinaryOperator<String> naming) {
            this.bridgeKit = java.util.Objects.requireNonNull(kit, "kit");
            this.bridgeNaming = java.util.Objects.requireNonNull(naming, "naming");
            return this;
        }

        /**
         * @param grace how long a participant whose signaling connection dropped may resume
         * @return this builder
         */
        public Builder reconnectGrace(Duration grace) {
            this.reconnectGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * @param max participants per room
         * @return this builder
         */
        public Builder maxPeersPerRoom(int max) {
            this.maxPeersPerRoom = max;
            return this;
        }

        /**
         * @param authenticator decides who may join
         * @return this builder
         */
        public Builder authenticator(PeerAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * @param policy codecs, feedback and header extensions accepted
         * @return this builder
         */
        public Builder mediaPolicy(MediaPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param certificate the DTLS certificate (by default a fresh self-signed ECDSA P-256 one)
         * @return this builder
         */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** @return the server, not yet started */
        public SfuServer build() {
            return new SfuServer(this);
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0 to 65535, got " + port);
            }
            return port;
        }
    }
}
