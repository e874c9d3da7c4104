package io.streamkit.webrtc.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.NegotiationException;
import io.streamkit.api.TransportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant of an SFU room, as a real libwebrtc peer (webrtc-java): it joins a room over the
 * signaling WebSocket, publishes a generated video track (a moving test pattern) and optionally a
 * sine tone on its publisher PeerConnection, and receives the other participants' tracks on its
 * subscriber PeerConnection, counting the decoded video frames per publishing participant.
 *
 * <pre>{@code
 * try (SfuParticipant ann = SfuParticipant.builder(URI.create("ws://127.0.0.1:8080/ws"), "demo")
 *         .userId("ann").videoSize(640, 360).frameRate(30).connect()) {
 *     ann.awaitFrames(otherPeerId, 60, Duration.ofSeconds(30));
 *     ReceivedVideo video = ann.receivedVideo().get(otherPeerId);
 * }
 * }</pre>
 *
 * <p>The client speaks the protocol documented in {@link io.streamkit.webrtc.signaling.SignalingHub}:
 * {@code join}, then an {@code offer} with target {@code publisher} answered by the server; the
 * server's {@code offer}s for the subscriber connection are answered with target
 * {@code subscriber}. The SFU names each forwarded stream after its publisher (msid stream id =
 * peer id); the participant reads that mapping from each offer and attributes the frames decoded
 * on an m-line to the peer that currently owns it (the SFU may reuse an m-line for another peer).
 *
 * <p>Thread-safe. Signaling messages and PeerConnection operations run on one thread of the
 * participant; frames are generated on a second one; decoded frames are counted on libwebrtc's
 * threads. {@link #close()} leaves the room and releases every native object: remote sinks, local
 * senders and tracks, then the PeerConnections, then the factory and the audio device module.
 */
public final class SfuParticipant implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(SfuParticipant.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Largest signaling message accepted from the server (an SDP for a large room fits easily). */
    private static final int MAX_MESSAGE = 1 << 20;
    private static final int MAX_ERRORS = 100;
    private static final int SAMPLE_RATE = 48_000;
    private static final int AUDIO_CHUNK_MS = 10;
    private static final String PUBLISHER = "publisher";
    private static final String SUBSCRIBER = "subscriber";

    private final URI uri;
    private final String roomId;
    private final String userId;
    private final String token;
    private final boolean publishVideo;
    private final boolean publishAudio;
    private final int width;
    private final int height;
    private final int frameRate;
    private final Duration timeout;

    private final ExecutorService signaling;
    private final ScheduledExecutorService generator;

    /** Guards the close flag and the lists of native objects that close releases. */
    private final Object lock = new Object();
    private boolean closed;
    private CompletableFuture<Void> closeFuture;
    private final Map<String, AttachedSink> sinks = new LinkedHashMap<>();
    private final List<RTCRtpSender> senders = new ArrayList<>();

    // created in connect(), released in close(); used on the signaling thread in between
    private HeadlessAudioDeviceModule audioModule;
    private PeerConnectionFactory factory;
    private RTCPeerConnection publisher;
    private RTCPeerConnection subscriber;
    private CustomVideoSource videoSource;
    private VideoTrack videoTrack;
    private CustomAudioSource audioSource;
    private AudioTrack audioTrack;
    private volatile WebSocket webSocket;
    /** Completion of the last WebSocket send; only touched on the signaling thread. */
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private final CompletableFuture<String> joined = new CompletableFuture<>();
    private final Map<String, RemoteVideo> remoteVideo = new ConcurrentHashMap<>();
    /** Subscriber m-line (mid) to the peer id whose track it carries, from the server's offers. */
    private final Map<String, String> peerOfMid = new ConcurrentHashMap<>();
    private final Set<String> remotePeers = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new ArrayList<>();
    private final AtomicLong framesSent = new AtomicLong();
    private volatile RTCPeerConnectionState publisherState = RTCPeerConnectionState.NEW;
    private volatile RTCPeerConnectionState subscriberState = RTCPeerConnectionState.NEW;

    private SfuParticipant(Builder b) {
        this.uri = b.uri;
        this.roomId = b.roomId;
        this.userId = b.userId != null ? b.userId : "java-" + UUID.randomUUID().toString().substring(0, 8);
        this.token = b.token;
        this.publishVideo = b.publishVideo;
        this.publishAudio = b.publishAudio;
        this.width = b.width;
        this.height = b.height;
        this.frameRate = b.frameRate;
        this.timeout = b.timeout;
        this.signaling = Executors.newSingleThreadExecutor(r -> daemon(r, "streamkit-participant-" + userId));
        this.generator = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, "streamkit-participant-media-" + userId));
    }

    /**
     * @param signalingUri the SFU's signaling WebSocket, for example {@code ws://127.0.0.1:8080/ws}
     * @param roomId the room to join (created by the server if needed)
     * @return a builder with the defaults: a random user id, video 640x360 at 30 fps, no audio, 10 s
     *         timeout for each signaling step
     */
    public static Builder builder(URI signalingUri, String roomId) {
        return new Builder(signalingUri, roomId);
    }

    /** @return the peer id the server assigned */
    public String peerId() {
        return joined.getNow(null);
    }

    /** @return the room joined */
    public String roomId() {
        return roomId;
    }

    /** @return the user id sent in {@code join} */
    public String userId() {
        return userId;
    }

    /** @return the peer ids of the other participants currently in the room */
    public Set<String> remotePeers() {
        return Set.copyOf(remotePeers);
    }

    /** @return decoded video frames received so far, per publishing participant's peer id */
    public Map<String, Long> framesReceived() {
        Map<String, Long> result = new LinkedHashMap<>();
        remoteVideo.forEach((peer, video) -> result.put(peer, video.frames.get()));
        return Map.copyOf(result);
    }

    /** @return the decoded video received so far, with the last frame size, per peer id */
    public Map<String, ReceivedVideo> receivedVideo() {
        Map<String, ReceivedVideo> result = new LinkedHashMap<>();
        remoteVideo.forEach((peer, video) -> result.put(peer, video.snapshot()));
        return Map.copyOf(result);
    }

    /** @return generated video frames handed to the encoder so far */
    public long framesSent() {
        return framesSent.get();
    }

    /** @return whether the publisher PeerConnection is connected (ICE and DTLS complete) */
    public boolean publisherConnected() {
        return publisherState == RTCPeerConnectionState.CONNECTED;
    }

    /** @return whether the subscriber PeerConnection is connected (ICE and DTLS complete) */
    public boolean subscriberConnected() {
        return subscriberState == RTCPeerConnectionState.CONNECTED;
    }

    /**
     * @return the {@code error} messages the server sent ({@code code: message}) and local
     *         negotiation failures, oldest first (the last 100)
     */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /**
     * Waits until at least {@code minFrames} decoded frames of {@code peerId} have been received.
     *
     * @param peerId the publishing participant
     * @param minFrames the number of frames to wait for
     * @param maxWait how long to wait at most
     * @return whether that many frames arrived in time
     * @throws InterruptedException if the calling thread is interrupted
     */
    public boolean awaitFrames(String peerId, long minFrames, Duration maxWait) throws InterruptedException {
        Objects.requireNonNull(peerId, "peerId");
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            RemoteVideo video = remoteVideo.get(peerId);
            if (video != null && video.frames.get() >= minFrames) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    // ---- connect ------------------------------------------------------------------------------

    private void start() {
        audioModule = new HeadlessAudioDeviceModule();
        // the headless module only moves audio (both ways) once playout and recording run
        audioModule.initPlayout();
        audioModule.startPlayout();
        audioModule.initRecording();
        audioModule.startRecording();
        factory = new PeerConnectionFactory(audioModule);

        try {
            webSocket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransportException("cannot open the signaling WebSocket " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while connecting to " + uri, e);
        }

        ObjectNode join = message("join").put("userId", userId).put("sessionId", roomId)
                .put("audioEnabled", publishAudio).put("videoEnabled", publishVideo).put("screenEnabled", false);
        if (token != null) {
            join.put("token", token);
        }
        onSignalingThread(() -> send(join));
        String peerId = await(joined, "join room " + roomId);
        log.debug("user {} joined room {} as peer {}", userId, roomId, peerId);

        if (publishVideo || publishAudio) {
            // publishing is three negotiation steps, each bounded by the timeout
            await(submitted(this::publish), "publish", timeout.multipliedBy(3));
            startGenerator();
        }
    }

    private void publish() {
        publisher = factory.createPeerConnection(configuration(), new Observer(PUBLISHER));
        List<String> streamIds = List.of("streamkit-" + UUID.randomUUID());
        if (publishVideo) {
            videoSource = new CustomVideoSource();
            videoTrack = factory.createVideoTrack("video-" + userId, videoSource);
            addSender(videoTrack, streamIds);
        }
        if (publishAudio) {
            audioSource = new CustomAudioSource();
            audioTrack = factory.createAudioTrack("audio-" + userId, audioSource);
            addSender(audioTrack, streamIds);
        }
        RTCSessionDescription offer = createDescription(observer -> publisher.createOffer(new RTCOfferOptions(),
                observer), "create the publisher offer");
        applyDescription(observer -> publisher.setLocalDescription(offer, observer), "apply the publisher offer");
        send(message("offer").put("target", PUBLISHER).put("sdp", offer.sdp));
    }

    private void addSender(MediaStreamTrack track, List<String> streamIds) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        init.streamIds = streamIds;
        RTCRtpSender sender = publisher.addTransceiver(track, init).getSender();
        synchronized (lock) {
            senders.add(sender);
        }
    }

    private void startGenerator() {
        TestPattern pattern = new TestPattern(width, height, SAMPLE_RATE, SAMPLE_RATE * AUDIO_CHUNK_MS / 1000, 440);
        if (videoSource != null) {
            generator.scheduleAtFixedRate(() -> pushVideo(pattern), 0, 1_000_000 / frameRate, TimeUnit.MICROSECONDS);
        }
        if (audioSource != null) {
            generator.scheduleAtFixedRate(() -> pushAudio(pattern), 0, AUDIO_CHUNK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void pushVideo(TestPattern pattern) {
        try {
            VideoFrame frame = pattern.nextFrame(System.nanoTime());
            try {
                videoSource.pushFrame(frame);
            } finally {
                frame.release();
            }
            framesSent.incrementAndGet();
        } catch (RuntimeException e) {
            log.warn("user {}: generated video frame not delivered", userId, e);
        }
    }

    private void pushAudio(TestPattern pattern) {
        try {
            audioSource.pushAudio(pattern.nextAudioChunk(), 16, SAMPLE_RATE, 1, pattern.samplesPerChunk());
        } catch (RuntimeException e) {
            log.warn("user {}: generated audio not delivered", userId, e);
        }
    }

    private static RTCConfiguration configuration() {
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        return config;
    }

    // ---- signaling (on the signaling thread) --------------------------------------------------

    private void onMessage(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            recordError("malformed message from the server: " + e.getMessage());
            return;
        }
        if (m == null || !m.isObject()) {
            recordError("the server sent a message that is not a JSON object");
            return;
        }
        String type = m.path("type").asText("");
        try {
            switch (type) {
                case "joined" -> joined.complete(requiredText(m, "peerId"));
                case "peer_joined" -> remotePeers.add(requiredText(m, "peerId"));
                case "peer_left" -> remotePeers.remove(requiredText(m, "peerId"));
                case "answer" -> onPublisherAnswer(requiredText(m, "sdp"));
                case "offer" -> onSubscriberOffer(requiredText(m, "sdp"));
                case "candidate" -> onRemoteCandidate(m);
                case "error" -> onServerError(m);
                default -> log.trace("user {}: ignored signaling message {}", userId, type);
            }
        } catch (RuntimeException e) {
            recordError(type + ": " + e.getMessage());
            log.warn("user {}: handling signaling message {} failed", userId, type, e);
        }
    }

    private void onPublisherAnswer(String sdp) {
        if (publisher == null) {
            throw new NegotiationException("an answer arrived but nothing was offered");
        }
        RTCSessionDescription answer = new RTCSessionDescription(RTCSdpType.ANSWER, sdp);
        applyDescription(observer -> publisher.setRemoteDescription(answer, observer), "apply the server's answer");
    }

    private void onSubscriberOffer(String sdp) {
        if (subscriber == null) {
            subscriber = factory.createPeerConnection(configuration(), new Observer(SUBSCRIBER));
        }
        log.trace("user {}: subscriber offer {}", userId, sdp);
        mapMids(sdp);
        RTCSessionDescription offer = new RTCSessionDescription(RTCSdpType.OFFER, sdp);
        applyDescription(observer -> subscriber.setRemoteDescription(offer, observer), "apply the server's offer");
        RTCSessionDescription answer = createDescription(
                observer -> subscriber.createAnswer(new RTCAnswerOptions(), observer), "create the subscriber answer");
        applyDescription(observer -> subscriber.setLocalDescription(answer, observer),
                "apply the subscriber answer");
        send(message("answer").put("target", SUBSCRIBER).put("sdp", answer.sdp));
    }

    private void onRemoteCandidate(JsonNode m) {
        String candidate = m.path("candidate").asText("");
        if (candidate.isEmpty()) {
            return; // end of candidates
        }
        RTCPeerConnection pc = SUBSCRIBER.equals(m.path("target").asText()) ? subscriber : publisher;
        if (pc == null) {
            throw new NegotiationException("a candidate arrived for a connection that does not exist");
        }
        pc.addIceCandidate(new RTCIceCandidate(m.path("sdpMid").asText("0"), m.path("sdpMLineIndex").asInt(0),
                candidate));
    }

    private void onServerError(JsonNode m) {
        String code = m.path("code").asText("unknown");
        String text = m.path("message").asText("");
        recordError(code + ": " + text);
        if (!joined.isDone()) {
            joined.completeExceptionally(new NegotiationException("the server refused to join room " + roomId
                    + ": " + code + ": " + text));
        } else {
            log.warn("user {}: server error {}: {}", userId, code, text);
        }
    }

    private void send(ObjectNode message) {
        WebSocket ws = webSocket;
        if (ws == null || ws.isOutputClosed()) {
            return;
        }
        String text = message.toString();
        // the JDK WebSocket refuses a send while the previous one is pending: chain them
        lastSend = lastSend.handle((r, e) -> null).thenCompose(x -> ws.sendText(text, true));
        lastSend.whenComplete((r, e) -> {
            if (e != null && !isClosed()) {
                log.debug("user {}: signaling send failed: {}", userId, e.toString());
            }
        });
    }

    private static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static String requiredText(JsonNode m, String field) {
        JsonNode value = m.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new NegotiationException("the server's " + m.path("type").asText() + " message has no " + field);
        }
        return value.asText();
    }

    private void recordError(String error) {
        synchronized (errors) {
            if (errors.size() == MAX_ERRORS) {
                errors.remove(0);
            }
            errors.add(error);
        }
    }

    // ---- libwebrtc callbacks ------------------------------------------------------------------

    /** Receives the events of one PeerConnection on libwebrtc's signaling thread. */
    private final class Observer implements PeerConnectionObserver {
        private final String target;

        Observer(String target) {
            this.target = target;
        }

        // An exception escaping a callback aborts the JVM (webrtc-java checks for one after each
        // call): every callback catches what it may throw.

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            onSignalingThread(() -> send(message("candidate").put("target", target).put("candidate", candidate.sdp)
                    .put("sdpMid", candidate.sdpMid).put("sdpMLineIndex", candidate.sdpMLineIndex)));
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            log.debug("user {}: {} connection {}", userId, target, state);
            if (PUBLISHER.equals(target)) {
                publisherState = state;
            } else {
                subscriberState = state;
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            if (!SUBSCRIBER.equals(target)) {
                return;
            }
            try {
                onRemoteTrack(transceiver);
            } catch (RuntimeException e) {
                recordError("cannot attach to a remote track: " + e);
                log.warn("user {}: cannot attach to a remote track", userId, e);
            }
        }
    }

    private void onRemoteTrack(RTCRtpTransceiver transceiver) {
        String mid = transceiver.getMid();
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        if (mid == null || !(track instanceof VideoTrack video)) {
            return;
        }
        synchronized (lock) {
            // a recycled m-line keeps its track: one sink per mid, attributed through peerOfMid
            if (closed || sinks.containsKey(mid)) {
                return;
            }
            MidSink sink = new MidSink(mid);
            video.addSink(sink);
            sinks.put(mid, new AttachedSink(video, sink));
        }
        log.debug("user {}: receiving video on mid {} from peer {}", userId, mid, peerOfMid.get(mid));
    }

    /**
     * Records which participant publishes the track of each m-line of a subscriber offer: the SFU
     * sets the msid stream id of a forwarded track to its publisher's peer id
     * (<a href="https://www.rfc-editor.org/rfc/rfc8830">RFC 8830</a>).
     */
    private void mapMids(String sdp) {
        String mid = null;
        String stream = null;
        boolean inMedia = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                if (inMedia) {
                    mapMid(mid, stream);
                }
                inMedia = true;
                mid = null;
                stream = null;
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6).trim();
            } else if (line.startsWith("a=msid:") && stream == null) {
                String[] parts = line.substring(7).trim().split(" ");
                stream = parts[0].isEmpty() || "-".equals(parts[0]) ? null : parts[0];
            }
        }
        if (inMedia) {
            mapMid(mid, stream);
        }
    }

    private void mapMid(String mid, String stream) {
        if (mid == null) {
            return;
        }
        if (stream == null) {
            peerOfMid.remove(mid);
        } else {
            peerOfMid.put(mid, stream);
        }
    }

    /** Counts the decoded frames of one subscriber m-line for whichever peer currently owns it. */
    private final class MidSink implements VideoTrackSink {
        private final String mid;

        MidSink(String mid) {
            this.mid = mid;
        }

        @Override
        public void onVideoFrame(VideoFrame frame) {
            try {
                String peer = peerOfMid.get(mid);
                if (peer != null) {
                    remoteVideo.computeIfAbsent(peer, RemoteVideo::new).count(frame.buffer.getWidth(),
                            frame.buffer.getHeight());
                }
            } catch (RuntimeException e) {
                log.debug("user {}: frame on mid {} not counted", userId, mid, e);
            } finally {
                frame.release(); // the frame handed to a sink is a copy that the sink owns
            }
        }
    }

    /** Decoded video frames of one publishing participant. */
    private static final class RemoteVideo {
        private final String peerId;
        private final AtomicLong frames = new AtomicLong();
        private volatile long lastSize;

        RemoteVideo(String peerId) {
            this.peerId = peerId;
        }

        void count(int width, int height) {
            lastSize = ((long) width << 32) | (height & 0xFFFFFFFFL);
            frames.incrementAndGet();
        }

        ReceivedVideo snapshot() {
            long size = lastSize;
            return new ReceivedVideo(peerId, frames.get(), (int) (size >>> 32), (int) size);
        }
    }

    private record AttachedSink(VideoTrack track, MidSink sink) {
    }

    // ---- helpers ------------------------------------------------------------------------------

    private RTCSessionDescription createDescription(Consumer<CreateSessionDescriptionObserver> operation,
            String what) {
        CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
        operation.accept(new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                result.complete(description);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new NegotiationException("cannot " + what + ": " + error));
            }
        });
        return await(result, what);
    }

    private void applyDescription(Consumer<SetSessionDescriptionObserver> operation, String what) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        operation.accept(new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                result.complete(null);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new NegotiationException("cannot " + what + ": " + error));
            }
        });
        await(result, what);
    }

    private <T> T await(Future<T> future, String what) {
        return await(future, what, timeout);
    }

    private <T> T await(Future<T> future, String what, Duration maxWait) {
        try {
            return future.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new NegotiationException("user " + userId + " cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new NegotiationException("user " + userId + " cannot " + what + ": no result within " + maxWait,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NegotiationException("user " + userId + " interrupted while trying to " + what, e);
        }
    }

    private Future<?> submitted(Runnable task) {
        return signaling.submit(task);
    }

    private void onSignalingThread(Runnable task) {
        try {
            signaling.execute(task);
        } catch (RejectedExecutionException e) {
            log.trace("user {}: closed, signaling task dropped", userId);
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Collects a server message from its fragments and hands it to the signaling thread. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (partial.length() + data.length() > MAX_MESSAGE) {
                partial.setLength(0);
                recordError("the server sent a message larger than " + MAX_MESSAGE + " characters");
                ws.abort();
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onSignalingThread(() -> onMessage(text));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (!isClosed()) {
                log.warn("user {}: the server closed the signaling connection: {} {}", userId, statusCode, reason);
                joined.completeExceptionally(new TransportException("signaling connection closed by the server: "
                        + statusCode + " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (!isClosed()) {
                log.warn("user {}: signaling connection failed", userId, error);
                joined.completeExceptionally(new TransportException("signaling connection failed: " + error, error));
            }
        }
    }

    // ---- close --------------------------------------------------------------------------------

    /**
     * Leaves the room and releases every native object; idempotent. Completes before it returns:
     * the generator stops, {@code leave} is sent and the WebSocket closed, then remote sinks are
     * detached, local tracks removed from their senders and disposed with their sources, both
     * PeerConnections closed, and finally the factory and the audio device module disposed.
     *
     * @return a completed future
     */
    @Override
    public CompletableFuture<Void> closeAsync() {
        List<AttachedSink> attached;
        List<RTCRtpSender> localSenders;
        synchronized (lock) {
            if (closeFuture != null) {
                return closeFuture;
            }
            closed = true;
            closeFuture = new CompletableFuture<>();
            attached = List.copyOf(sinks.values());
            localSenders = List.copyOf(senders);
            sinks.clear();
            senders.clear();
        }
        boolean generatorStopped = stop(generator, "media generator");
        leave();
        boolean signalingStopped = stop(signaling, "signaling");
        if (!generatorStopped || !signalingStopped) {
            // a thread is still inside a native call: releasing the objects under it could crash the JVM
            log.error("user {}: a participant thread did not stop; native objects are left allocated", userId);
        } else {
            releaseNatives(attached, localSenders);
        }
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        joined.completeExceptionally(new TransportException("participant closed"));
        closeFuture.complete(null);
        log.debug("user {}: closed", userId);
        return closeFuture;
    }

    private void leave() {
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            signaling.execute(() -> {
                send(message("leave"));
                lastSend.handle((r, e) -> null).thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "leave"))
                        .whenComplete((r, e) -> done.complete(null));
            });
            done.get(Math.min(timeout.toMillis(), 2000), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            log.debug("user {}: leave not confirmed: {}", userId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean stop(ExecutorService executor, String what) {
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("user {}: the {} thread did not stop", userId, what);
        return false;
    }

    private void releaseNatives(List<AttachedSink> attached, List<RTCRtpSender> localSenders) {
        for (AttachedSink s : attached) {
            release("remove a remote video sink", () -> s.track().removeSink(s.sink()));
        }
        if (publisher != null) {
            for (RTCRtpSender sender : localSenders) {
                release("remove a local track", () -> publisher.removeTrack(sender));
            }
        }
        release("dispose the local video track", videoTrack == null ? null : videoTrack::dispose);
        release("dispose the local audio track", audioTrack == null ? null : audioTrack::dispose);
        release("dispose the video source", videoSource == null ? null : videoSource::dispose);
        release("dispose the audio source", audioSource == null ? null : audioSource::dispose);
        release("close the publisher connection", publisher == null ? null : publisher::close);
        release("close the subscriber connection", subscriber == null ? null : subscriber::close);
        if (audioModule != null) {
            release("stop recording", audioModule::stopRecording);
            release("stop playout", audioModule::stopPlayout);
        }
        release("dispose the factory", factory == null ? null : factory::dispose);
        release("dispose the audio device module", audioModule == null ? null : audioModule::dispose);
    }

    private void release(String what, Runnable action) {
        if (action == null) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            // webrtc-java reports a native reference still held elsewhere as java.lang.Error; the
            // object is then simply not freed, which must not stop the rest of the teardown
            log.debug("user {}: could not {}: {}", userId, what, e.toString());
        }
    }

    // ---- builder ------------------------------------------------------------------------------

    /** Builds and connects an {@link SfuParticipant}. */
    public static final class Builder {
        private final URI uri;
        private final String roomId;
        private String userId;
        private String token;
        private boolean publishVideo = true;
        private boolean publishAudio;
        private int width = 640;
        private int height = 360;
        private int frameRate = 30;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(URI uri, String roomId) {
            Objects.requireNonNull(uri, "signalingUri");
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("the signaling URI must be ws:// or wss://, not " + uri);
            }
            this.uri = uri;
            this.roomId = checkId(roomId, "roomId");
        }

        /**
         * @param userId the user id sent in {@code join}, 1 to 256 characters
         * @return this builder
         */
        public Builder userId(String userId) {
            this.userId = checkId(userId, "userId");
            return this;
        }

        /**
         * @param token the token sent in {@code join} for the server's authentication hook
         * @return this builder
         */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * @param on whether to publish the generated video (default true)
         * @return this builder
         */
        public Builder publishVideo(boolean on) {
            this.publishVideo = on;
            return this;
        }

        /**
         * @param on whether to publish a generated 440 Hz tone as Opus audio (default false)
         * @return this builder
         */
        public Builder publishAudio(boolean on) {
            this.publishAudio = on;
            return this;
        }

        /**
         * @param width width of the generated video, even, 16 to 3840
         * @param height height of the generated video, even, 16 to 2160
         * @return this builder
         */
        public Builder videoSize(int width, int height) {
            if (width < 16 || width > 3840 || height < 16 || height > 2160 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("video size must be even, 16x16 to 3840x2160: " + width + "x"
                        + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * @param fps frames per second of the generated video, 1 to 60
         * @return this builder
         */
        public Builder frameRate(int fps) {
            if (fps < 1 || fps > 60) {
                throw new IllegalArgumentException("frame rate must be 1 to 60: " + fps);
            }
            this.frameRate = fps;
            return this;
        }

        /**
         * @param timeout the longest wait for each step: connecting, joining, each offer/answer
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Connects, joins the room and, if anything is to be published, sends the publisher offer
         * and starts generating media. Blocks until then.
         *
         * @return the joined participant; close it to leave
         * @throws TransportException if the signaling WebSocket cannot be opened or closes
         * @throws NegotiationException if the server refuses the join or an offer/answer step
         *         fails or times out
         */
        public SfuParticipant connect() {
            SfuParticipant participant = new SfuParticipant(this);
            try {
                participant.start();
                return participant;
            } catch (RuntimeException | Error e) {
                participant.close();
                throw e;
            }
        }

        private static String checkId(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isEmpty() || value.length() > 256) {
                throw new IllegalArgumentException(name + " must be 1 to 256 characters");
            }
            return value;
        }
    }
}
