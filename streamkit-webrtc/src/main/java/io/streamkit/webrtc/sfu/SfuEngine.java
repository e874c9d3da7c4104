package io.streamkit.webrtc.sfu;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.webrtc.dtls.DtlsCertificate;
import io.streamkit.webrtc.sdp.Fingerprint;
import io.streamkit.webrtc.sdp.LocalParameters;
import io.streamkit.webrtc.sdp.MediaPolicy;
import io.streamkit.webrtc.signaling.PeerMedia;
import io.streamkit.webrtc.signaling.PeerMediaFactory;
import io.streamkit.webrtc.signaling.PeerSignals;
import io.streamkit.webrtc.stun.IceCredentials;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The media plane: the UDP port, its event loop, the rooms' media and the DTLS executor. */
final class SfuEngine implements PeerMediaFactory {
    private static final Logger log = LoggerFactory.getLogger(SfuEngine.class);

    private final EventLoopGroup group;
    private final MediaPort port = new MediaPort();
    private final DtlsCertificate certificate;
    private final Fingerprint fingerprint;
    private final ExecutorService handshakes;
    private final SfuCounters counters = new SfuCounters();
    private final MediaPolicy policy;
    private final String announcedHost;
    private final int announcedPort;
    private final Map<String, SfuRoom> rooms = new HashMap<>(); // media loop
    private final Map<String, SfuPeer> peers = new HashMap<>(); // media loop
    private final ScheduledFuture<?> ticker;
    private volatile StreamBridge bridge;

    /** Where participants' media is published as StreamKit streams. */
    record StreamBridge(io.streamkit.api.StreamKit kit, java.util.function.BinaryOperator<String> naming) {
        String path(String roomId, String userId) {
            return naming.apply(roomId, userId);
        }
    }

    void bridge(StreamBridge newBridge) {
        this.bridge = newBridge;
    }

    StreamBridge bridge() {
        return bridge;
    }

    SfuEngine(String host, int udpPort, String announcedHost, int announcedPort, MediaPolicy policy,
            DtlsCertificate certificate) {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("streamkit-sfu-media", true),
                NioIoHandler.newFactory());
        this.certificate = certificate;
        this.fingerprint = Fingerprint.parse(certificate.fingerprint());
        this.policy = policy;
        AtomicInteger n = new AtomicInteger();
        this.handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "streamkit-dtls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            port.bind(group.next(), host, udpPort);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            handshakes.shutdownNow();
            throw e;
        }
        this.announcedHost = announcedHost;
        this.announcedPort = announcedPort > 0 ? announcedPort : port.localAddress().getPort();
        this.ticker = port.loop().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    InetSocketAddress localAddress() {
        return port.localAddress();
    }

    int announcedPort() {
        return announcedPort;
    }

    ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    SfuCounters counters() {
        return counters;
    }

    void execute(Runnable task) {
        port.loop().execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("SFU media task failed", e);
            }
        });
    }

    PeerTransport newTransport(String name, PeerTransport.Listener listener) {
        return new PeerTransport(name, port, certificate, handshakes, counters, listener);
    }

    LocalParameters localParameters(IceCredentials ice) {
        return new LocalParameters(ice.ufrag(), ice.password(), fingerprint, announcedHost, announcedPort, policy);
    }

    @Override
    public PeerMedia create(String roomId, String peerId, String userId, PeerSignals signals) {
        SfuPeer peer = new SfuPeer(this, roomId, peerId, userId, signals);
        execute(() -> {
            SfuRoom room = rooms.computeIfAbsent(roomId, SfuRoom::new);
            peer.room = room;
            peers.put(peerId, peer);
            room.peerJoined(peer);
        });
        return peer;
    }

    void peerLeft(SfuPeer peer) {
        peers.remove(peer.peerId);
        SfuRoom room = peer.room;
        if (room != null) {
            room.peerLeft(peer);
            if (room.peers.isEmpty()) {
                rooms.remove(room.id, room);
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (SfuPeer p : new ArrayList<>(peers.values())) {
            try {
                p.tick(now);
            } catch (RuntimeException e) {
                log.warn("SFU upkeep of peer {} failed", p.peerId, e);
            }
        }
    }

    SfuStats stats() {
        CompletableFuture<List<PeerStats>> f = new CompletableFuture<>();
        if (port.loop().inEventLoop()) {
            f.complete(peerStats());
        } else {
            port.loop().execute(() -> f.complete(peerStats()));
        }
        List<PeerStats> list = f.orTimeout(5, TimeUnit.SECONDS).join();
        return new SfuStats(list, port.datagramsIn(), port.datagramsOut(), counters.packetsForwarded.sum(),
                counters.retransmissions.sum(), counters.nacksReceived.sum(), counters.keyframeRequestsSent.sum(),
                port.unknownStun(), port.unroutable(), port.garbage(), counters.srtpErrors.sum(),
                counters.rtpErrors.sum(), counters.rtcpErrors.sum(), counters.dtlsFailures.sum(),
                counters.unknownSsrc.sum(), counters.nacksSentToPublishers.sum(),
                counters.packetsRepairedFromPublishers.sum(), unrepaired());
    }

    private final java.util.concurrent.atomic.AtomicLong unrepairedOfGoneTracks = new java.util.concurrent.atomic.AtomicLong();

    void trackGone(PublishedTrack track) {
        if (track.nacks != null) {
            unrepairedOfGoneTracks.addAndGet(track.nacks.abandonedCount());
        }
    }

    private long unrepaired() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        Runnable sum = () -> {
            long n = unrepairedOfGoneTracks.get();
            for (SfuPeer p : peers.values()) {
                for (PublishedTrack t : p.tracks()) {
                    if (t.nacks != null) {
                        n += t.nacks.abandonedCount();
                    }
                }
            }
            f.complete(n);
        };
        if (port.loop().inEventLoop()) {
            sum.run();
        } else {
            port.loop().execute(sum);
        }
        return f.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> -1L).join();
    }

    private List<PeerStats> peerStats() {
        List<PeerStats> list = new ArrayList<>();
        for (SfuPeer p : peers.values()) {
            list.add(p.stats());
        }
        return list;
    }

    void close() {
        ticker.cancel(false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        port.loop().execute(() -> {
            for (SfuPeer p : new ArrayList<>(peers.values())) {
                p.closeNow();
            }
            done.complete(null);
        });
        done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        port.close();
        handshakes.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
