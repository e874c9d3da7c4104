package io.streamkit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.webrtc.dtls.DtlsCertificate;
import io.streamkit.webrtc.dtls.DtlsResult;
import io.streamkit.webrtc.dtls.DtlsRole;
import io.streamkit.webrtc.dtls.DtlsSession;
import io.streamkit.webrtc.rtp.RtpPacket;
import io.streamkit.webrtc.sdp.Attribute;
import io.streamkit.webrtc.sdp.Candidate;
import io.streamkit.webrtc.sdp.Fingerprint;
import io.streamkit.webrtc.sdp.IceParameters;
import io.streamkit.webrtc.sdp.MediaDescription;
import io.streamkit.webrtc.sdp.SessionDescription;
import io.streamkit.webrtc.srtp.SrtpException;
import io.streamkit.webrtc.srtp.SrtpKeyingMaterial;
import io.streamkit.webrtc.srtp.SrtpProfile;
import io.streamkit.webrtc.srtp.SrtpSession;
import io.streamkit.webrtc.stun.IceCredentials;
import io.streamkit.webrtc.stun.PacketDemux;
import io.streamkit.webrtc.stun.PacketKind;
import io.streamkit.webrtc.stun.StunClass;
import io.streamkit.webrtc.stun.StunException;
import io.streamkit.webrtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic WebRTC participant without a browser, for {@link SfuForwardingHarness}: it joins a
 * room over the SFU's WebSocket signaling, negotiates with hand-written SDP, checks connectivity
 * with STUN (<a href="https://www.rfc-editor.org/rfc/rfc8445">RFC 8445</a>, USE-CANDIDATE and
 * MESSAGE-INTEGRITY keyed with the SFU's ice-pwd), runs the DTLS client handshake
 * (<a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>) and then sends or receives SRTP
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>).
 *
 * <p>A publisher offers one VP8 video m-line ({@code nack}, {@code nack pli}, one SSRC, BUNDLE,
 * rtcp-mux, {@code setup:actpass}) and sends bursts of packets whose payload carries the send
 * {@code nanoTime}. A subscriber answers the server's offers with {@code setup:active}, decrypts
 * what it receives and reports each packet's delay to a {@link ForwardingRecorder}.
 *
 * <p>For the anchor run the same class talks to the no-op relay of {@link SfuBenchServer} instead:
 * no signaling, no ICE or DTLS, and SRTP keyed from fixed material, so that both ends do the same
 * SRTP work as with the SFU while the relay does none.
 */
final class SyntheticPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyntheticPeer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VP8 = 96;
    private static final long KEEPALIVE_SECONDS = 5;
    /** Offset in the payload of the send stamp, after the 1-byte VP8 payload descriptor. */
    private static final int STAMP_OFFSET = 1;

    private final boolean publisher;
    private final String name;
    private final ForwardingRecorder recorder;
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final IceCredentials localIce = IceCredentials.random();
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0xFFFF_FFFFL);
    private final CompletableFuture<SrtpProfile> connected = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private final Channel channel;

    private volatile WebSocket webSocket;
    private CompletableFuture<WebSocket> sendChain;
    private volatile InetSocketAddress remote;
    private volatile IceCredentials remoteIce;
    private volatile String remoteFingerprint;
    private volatile DtlsSession dtls;
    private volatile SrtpSession srtp;
    private volatile String error;
    private ScheduledFuture<?> stunTimer;
    private boolean dtlsStarted;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long frames;

    private SyntheticPeer(boolean publisher, String name, EventLoopGroup group, ForwardingRecorder recorder,
            DtlsCertificate certificate, Executor handshakeExecutor) throws InterruptedException {
        this.publisher = publisher;
        this.name = name;
        this.recorder = recorder;
        this.certificate = certificate;
        this.handshakeExecutor = handshakeExecutor;
        this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 1024 * 1024).option(ChannelOption.SO_SNDBUF, 1024 * 1024)
                .handler(new Handler()).bind("127.0.0.1", 0).sync().channel();
    }

    /**
     * A participant of the SFU; call {@link #join(HttpClient, URI, String)} next.
     *
     * @param publisher whether it publishes (otherwise it subscribes)
     */
    static SyntheticPeer forSfu(boolean publisher, String name, EventLoopGroup group, ForwardingRecorder recorder,
            DtlsCertificate certificate, Executor handshakeExecutor) throws InterruptedException {
        return new SyntheticPeer(publisher, name, group, recorder, certificate, handshakeExecutor);
    }

    /**
     * A participant of the no-op relay, keyed with {@code keys} and connected at once: it registers
     * with the relay by a 1-byte datagram.
     */
    static SyntheticPeer forRelay(boolean publisher, String name, EventLoopGroup group, ForwardingRecorder recorder,
            InetSocketAddress relay, SrtpProfile profile, byte[] keys) throws InterruptedException {
        SyntheticPeer p = new SyntheticPeer(publisher, name, group, recorder, null, null);
        p.remote = relay;
        p.srtp = SrtpSession.create(SrtpKeyingMaterial.fromDtlsExport(profile, keys, publisher
                ? SrtpKeyingMaterial.Role.CLIENT
                : SrtpKeyingMaterial.Role.SERVER));
        p.channel.eventLoop().execute(() -> {
            p.register();
            p.stunTimer = p.channel.eventLoop().scheduleAtFixedRate(p::register, 1, 1, TimeUnit.SECONDS);
        });
        p.connected.complete(profile);
        return p;
    }

    private void register() {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[]{(byte) (publisher ? 'P' : 'S')}),
                remote));
    }

    /** @return completes with the SRTP profile once SRTP can flow, or exceptionally */
    CompletableFuture<SrtpProfile> connected() {
        return connected;
    }

    /** @return packets this subscriber decrypted */
    long receivedPackets() {
        return received.get();
    }

    /** @return the last signaling or media error, or null */
    String error() {
        return error;
    }

    // ---------------------------------------------------------------- signaling

    /** Opens the WebSocket and sends {@code join}; the rest follows from the server's messages. */
    CompletableFuture<SrtpProfile> join(HttpClient http, URI uri, String room) {
        http.newWebSocketBuilder().buildAsync(uri, new Listener()).whenComplete((ws, e) -> {
            if (e != null) {
                fail("WebSocket: " + e);
                return;
            }
            webSocket = ws;
            synchronized (this) {
                sendChain = CompletableFuture.completedFuture(ws);
            }
            ObjectNode join = JSON.createObjectNode().put("type", "join").put("userId", name).put("sessionId", room)
                    .put("audioEnabled", false).put("videoEnabled", publisher).put("screenEnabled", false);
            send(join);
        });
        return connected;
    }

    private synchronized void send(ObjectNode message) {
        String text = message.toString();
        sendChain = sendChain.thenCompose(ws -> ws.sendText(text, true)).exceptionally(e -> {
            fail("WebSocket send: " + e);
            return webSocket;
        });
    }

    private void onMessage(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            fail("unreadable signaling message: " + e.getMessage());
            return;
        }
        String type = m.path("type").asText();
        switch (type) {
            case "joined" -> {
                if (publisher) {
                    send(JSON.createObjectNode().put("type", "offer").put("target", "publisher").put("sdp",
                            publisherOffer()));
                }
            }
            case "answer" -> {
                if (publisher) {
                    remoteDescription(m.path("sdp").asText());
                }
            }
            case "offer" -> {
                if (!publisher) {
                    String answer = remoteDescription(m.path("sdp").asText());
                    if (answer != null) {
                        send(JSON.createObjectNode().put("type", "answer").put("target", "subscriber").put("sdp",
                                answer));
                    }
                }
            }
            case "error" -> {
                error = m.path("code").asText() + ": " + m.path("message").asText();
                log.warn("{}: signaling error {}", name, error);
            }
            default -> {
                // peer_joined, peer_left, media_state, pong: nothing to do
            }
        }
    }

    private String publisherOffer() {
        String ufrag = localIce.ufrag();
        return "v=0\r\n"
                + "o=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=msid-semantic: WMS bench\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF " + VP8 + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + localIce.password() + "\r\n"
                + "a=fingerprint:" + certificate.fingerprint() + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sendonly\r\n"
                + "a=msid:bench video0\r\n"
                + "a=rtcp-mux\r\n"
                + "a=rtpmap:" + VP8 + " VP8/90000\r\n"
                + "a=rtcp-fb:" + VP8 + " nack\r\n"
                + "a=rtcp-fb:" + VP8 + " nack pli\r\n"
                + "a=ssrc:" + ssrc + " cname:" + name + "\r\n"
                + "a=ssrc:" + ssrc + " msid:bench video0\r\n";
    }

    /**
     * Takes the server's ICE credentials, fingerprint and candidate from its SDP, starts the
     * connectivity checks once, and for a subscriber returns the answer.
     */
    private String remoteDescription(String sdp) {
        SessionDescription d;
        try {
            d = SessionDescription.parse(sdp);
        } catch (RuntimeException e) {
            fail("unreadable server SDP: " + e.getMessage());
            return null;
        }
        StringBuilder answer = new StringBuilder("v=0\r\no=- ").append(ThreadLocalRandom.current().nextLong(1,
                Long.MAX_VALUE)).append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        List<String> bundle = new ArrayList<>();
        StringBuilder media = new StringBuilder();
        for (MediaDescription m : d.media()) {
            String mid = m.mid().orElse("");
            boolean rejected = m.isRejected();
            if (!rejected) {
                bundle.add(mid);
                if (remote == null) {
                    IceParameters ice = d.iceParameters(m).orElse(null);
                    Fingerprint fp = d.fingerprint(m).orElse(null);
                    List<Candidate> candidates = m.candidates();
                    if (ice == null || fp == null || candidates.isEmpty()) {
                        fail("server SDP lacks ICE credentials, fingerprint or candidate");
                        return null;
                    }
                    Candidate c = candidates.get(0);
                    remoteIce = new IceCredentials(ice.ufrag(), ice.pwd());
                    remoteFingerprint = fp.algorithm() + " " + fp.value();
                    remote = new InetSocketAddress(c.address(), c.port());
                    channel.eventLoop().execute(this::startChecks);
                }
            }
            media.append("m=").append(m.media()).append(rejected ? " 0 " : " 9 ").append(m.proto()).append(' ')
                    .append(String.join(" ", m.formats())).append("\r\nc=IN IP4 0.0.0.0\r\n");
            media.append("a=mid:").append(mid).append("\r\n");
            media.append(rejected ? "a=inactive\r\n" : "a=recvonly\r\n");
            media.append("a=rtcp-mux\r\n");
            media.append("a=ice-ufrag:").append(localIce.ufrag()).append("\r\na=ice-pwd:").append(localIce
                    .password()).append("\r\n");
            media.append("a=fingerprint:").append(certificate.fingerprint()).append("\r\na=setup:active\r\n");
            for (Attribute a : m.attributes()) {
                if (a.is("rtpmap") || a.is("fmtp") || a.is("rtcp-fb")) {
                    media.append("a=").append(a).append("\r\n");
                }
            }
        }
        if (!bundle.isEmpty()) {
            answer.append("a=group:BUNDLE ").append(String.join(" ", bundle)).append("\r\n");
        }
        return answer.append(media).toString();
    }

    // ---------------------------------------------------------------- ICE, DTLS (channel event loop)

    private void startChecks() {
        if (stunTimer != null) {
            return;
        }
        sendCheck();
        stunTimer = channel.eventLoop().scheduleAtFixedRate(this::keepalive, 200, 200, TimeUnit.MILLISECONDS);
    }

    private long lastCheck;

    private void keepalive() {
        long now = System.nanoTime();
        // quickly until DTLS is under way, then at a consent-freshness pace (RFC 7675)
        if (!dtlsStarted || now - lastCheck > TimeUnit.SECONDS.toNanos(KEEPALIVE_SECONDS)) {
            sendCheck();
        }
    }

    private void sendCheck() {
        lastCheck = System.nanoTime();
        IceCredentials r = remoteIce;
        byte[] request = StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING)
                .username(r.ufrag() + ":" + localIce.ufrag())
                .priority(0x6E7F1EFFL)
                .iceControlling(ThreadLocalRandom.current().nextLong())
                .useCandidate()
                .messageIntegrity(r.passwordBytes())
                .fingerprint()
                .encode();
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(request), remote));
    }

    private void onStun(ByteBuf buf) {
        StunMessage m;
        try {
            m = StunMessage.decode(buf);
        } catch (StunException e) {
            return;
        }
        if (m.messageClass() == StunClass.ERROR_RESPONSE) {
            fail("STUN error response " + m.errorCode().map(Object::toString).orElse("?"));
            return;
        }
        if (m.messageClass() != StunClass.SUCCESS_RESPONSE || dtlsStarted) {
            return;
        }
        dtlsStarted = true;
        InetSocketAddress to = remote;
        DtlsSession session = DtlsSession.builder(DtlsRole.CLIENT, certificate)
                .handshakeExecutor(handshakeExecutor)
                .remoteFingerprint(remoteFingerprint)
                .outbound(datagram -> channel.writeAndFlush(new DatagramPacket(datagram, to)))
                .build();
        dtls = session;
        session.start().whenComplete(this::dtlsDone);
    }

    private void dtlsDone(DtlsResult result, Throwable failure) {
        if (failure != null) {
            fail("DTLS: " + failure.getMessage());
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.profile().id());
        srtp = SrtpSession.create(SrtpKeyingMaterial.fromDtlsExport(profile, result.keyingMaterial(),
                SrtpKeyingMaterial.Role.CLIENT));
        connected.complete(profile);
    }

    private void fail(String why) {
        error = why;
        if (connected.completeExceptionally(new IllegalStateException(name + ": " + why))) {
            log.warn("{}: {}", name, why);
        }
    }

    // ---------------------------------------------------------------- media

    /**
     * Sends one video frame as {@code packets} SRTP packets of {@code payloadSize} payload bytes,
     * back to back, each stamped with its send time. Runs on this peer's event loop.
     */
    void sendFrame(int packets, int payloadSize) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        ByteBufAllocator alloc = channel.alloc();
        long timestamp = (frames++ * 3000) & 0xFFFF_FFFFL;
        for (int i = 0; i < packets; i++) {
            ByteBuf out = alloc.directBuffer(RtpPacket.FIXED_HEADER_LENGTH + payloadSize + 32);
            out.writeByte(0x80);
            out.writeByte((i == packets - 1 ? 0x80 : 0) | VP8);
            out.writeShort(sequence);
            sequence = (sequence + 1) & 0xFFFF;
            out.writeInt((int) timestamp);
            out.writeInt((int) ssrc);
            out.writeByte(i == 0 ? 0x10 : 0x00); // VP8 payload descriptor: S bit on a frame's first packet
            long now = System.nanoTime();
            out.writeLong(now);
            out.writeZero(payloadSize - STAMP_OFFSET - Long.BYTES);
            try {
                s.protectRtp(out);
            } catch (SrtpException e) {
                out.release();
                recorder.error();
                continue;
            }
            recorder.sent(now);
            channel.write(new DatagramPacket(out, remote));
        }
        channel.flush();
    }

    /** Runs {@code task} on this peer's event loop at a fixed rate. */
    ScheduledFuture<?> schedule(Runnable task, long periodNanos) {
        return channel.eventLoop().scheduleAtFixedRate(task, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void onMedia(ByteBuf buf, long arrival) {
        SrtpSession s = srtp;
        if (s == null || publisher) {
            return;
        }
        try {
            s.unprotectRtp(buf);
            RtpPacket p = RtpPacket.parse(buf);
            if (p.payloadLength() < STAMP_OFFSET + Long.BYTES) {
                return;
            }
            received.incrementAndGet();
            recorder.received(buf.getLong(p.payloadOffset() + STAMP_OFFSET), arrival);
        } catch (RuntimeException e) {
            recorder.error();
        }
    }

    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws != null) {
            send(JSON.createObjectNode().put("type", "leave"));
            synchronized (this) {
                sendChain.thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "bye")).exceptionally(e -> null);
            }
        }
        DtlsSession d = dtls;
        if (d != null) {
            d.close();
        }
        channel.eventLoop().execute(() -> {
            if (stunTimer != null) {
                stunTimer.cancel(false);
            }
        });
        channel.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            long arrival = System.nanoTime();
            ByteBuf buf = packet.content();
            PacketKind kind = PacketDemux.classify(buf);
            switch (kind) {
                case STUN -> onStun(buf);
                case DTLS -> {
                    DtlsSession d = dtls;
                    if (d != null) {
                        d.receive(buf.retain());
                    }
                }
                case RTP -> onMedia(buf, arrival);
                default -> {
                    // RTCP from the server (keyframe requests, sender reports): not needed here
                }
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (!connected.isDone()) {
                fail("signaling closed " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            fail("signaling error " + e);
        }
    }
}
