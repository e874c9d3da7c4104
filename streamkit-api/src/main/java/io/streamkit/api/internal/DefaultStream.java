package io.streamkit.api.internal;

import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.PublishRejectedException;
import io.streamkit.api.Publisher;
import io.streamkit.api.RateMeter;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.StreamState;
import io.streamkit.api.StreamStats;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.SubscriptionStats;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.spi.TransportProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream: one lock orders publishing, subscribing and the GOP cache, so a late joiner's cached
 * packets and the live ones that follow never interleave wrongly. Fan-out retains the one payload
 * once per subscriber queue; nothing is copied.
 */
final class DefaultStream implements Stream {
    private static final Logger log = LoggerFactory.getLogger(DefaultStream.class);
    private static final DefaultSubscription[] NO_SUBSCRIPTIONS = new DefaultSubscription[0];
    /** Gap inserted between the last packet of a publisher and the first of its successor. */
    private static final long HANDOVER_GAP_NANOS = 10_000_000L;

    private final KitCore kit;
    private final String path;
    private final Object lock = new Object();
    private final RateMeter rate = new RateMeter();
    private final CopyOnWriteArrayList<AbstractEndpoint<?>> endpoints = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    // all guarded by lock
    private StreamState state = StreamState.IDLE;
    private List<TrackInfo> tracks = List.of();
    private boolean hasVideo;
    private DefaultPublisher publisher;
    private DefaultSubscription[] subscriptions = NO_SUBSCRIPTIONS;
    private final ArrayList<MediaPacket> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopValid;
    private ScheduledFuture<?> graceTimer;
    private long lastDtsNanos = Long.MIN_VALUE;
    private boolean detached;
    private long publishes;
    private long packetsIn;
    private long bytesIn;
    private long packetsRejected;
    private long keyframes;
    private long lastKeyframeNanos = Long.MIN_VALUE;
    private long keyframeIntervalNanos;
    private long liveSinceNanos;

    DefaultStream(KitCore kit, String path) {
        this.kit = kit;
        this.path = path;
    }

    KitCore kit() {
        return kit;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public StreamState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public List<TrackInfo> tracks() {
        synchronized (lock) {
            return tracks;
        }
    }

    private void ensureAttached() {
        if (state == StreamState.CLOSED) {
            throw new IllegalStateException("stream " + path + " is closed");
        }
        if (detached) {
            if (!kit.reattach(this)) {
                throw new IllegalStateException("stream " + path
                        + " was removed while idle and another instance took its path; get it again from the kit");
            }
            detached = false;
        }
    }

    @Override
    public Publisher publish(List<TrackInfo> newTracks, PublishPolicy policy, String label) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(label, "label");
        List<TrackInfo> checked = checkTracks(newTracks);
        DefaultPublisher created;
        boolean resumed;
        synchronized (lock) {
            if (state == StreamState.CLOSED) {
                throw new PublishRejectedException(PublishRejectedException.Reason.CLOSED,
                        "stream " + path + " is closed");
            }
            ensureAttached();
            if (state == StreamState.LIVE) {
                if (policy == PublishPolicy.REJECT) {
                    throw new PublishRejectedException(PublishRejectedException.Reason.ALREADY_PUBLISHING,
                            "stream " + path + " already has a publisher (" + publisher.label() + ")");
                }
                log.atInfo().addKeyValue("stream", path).log("publisher {} takes over from {}", label,
                        publisher.label());
                publisher.revoke();
            }
            resumed = state != StreamState.IDLE;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            created = new DefaultPublisher(this, kit.nextId("pub"), label, lastDtsNanos != Long.MIN_VALUE);
            publisher = created;
            state = StreamState.LIVE;
            publishes++;
            liveSinceNanos = System.nanoTime();
            clearGop();
            for (DefaultSubscription s : subscriptions) {
                s.requireKeyframe();
            }
            setTracks(checked);
        }
        log.atInfo().addKeyValue("stream", path).log("publisher {} is live{}", label, resumed ? " (resumed)" : "");
        for (AbstractEndpoint<?> e : endpoints) {
            e.wake();
        }
        kit.emit(new StreamKitEvent.StreamPublished(Instant.now(), path, created.id(), label, resumed));
        return created;
    }

    private static List<TrackInfo> checkTracks(List<TrackInfo> tracks) {
        List<TrackInfo> copy = List.copyOf(tracks);
        for (int i = 0; i < copy.size(); i++) {
            for (int j = i + 1; j < copy.size(); j++) {
                if (copy.get(i).id() == copy.get(j).id()) {
                    throw new IllegalArgumentException("duplicate track id " + copy.get(i).id());
                }
            }
        }
        return copy;
    }

    /** Under lock. */
    private void setTracks(List<TrackInfo> newTracks) {
        if (newTracks.equals(tracks)) {
            return;
        }
        tracks = newTracks;
        hasVideo = newTracks.stream().anyMatch(t -> t.mediaType() == MediaType.VIDEO);
        if (!newTracks.isEmpty()) {
            for (DefaultSubscription s : subscriptions) {
                s.offerTracks(newTracks);
            }
        }
    }

    void updateTracks(DefaultPublisher from, List<TrackInfo> newTracks) {
        List<TrackInfo> checked = checkTracks(newTracks);
        synchronized (lock) {
            if (publisher != from || state != StreamState.LIVE) {
                return;
            }
            setTracks(checked);
        }
    }

    boolean send(DefaultPublisher from, MediaPacket packet) {
        synchronized (lock) {
            if (publisher != from || state != StreamState.LIVE || !hasTrack(packet.trackId())) {
                packetsRejected++;
                packet.release();
                return false;
            }
            MediaPacket p = packet;
            if (from.offsetPending) {
                from.offsetNanos = lastDtsNanos + HANDOVER_GAP_NANOS - p.dtsNanos();
                from.offsetPending = false;
            }
            if (from.offsetNanos != 0) {
                long ticks = Math.floorDiv(Math.floorDiv(from.offsetNanos, 1000L) * p.timescale(), 1_000_000L);
                p = p.withTimestamps(p.dts() + ticks, p.pts() + ticks);
            }
            long dtsNanos = p.dtsNanos();
            if (dtsNanos > lastDtsNanos) {
                lastDtsNanos = dtsNanos;
            }
            packetsIn++;
            bytesIn += p.size();
            rate.record(p.size());
            if (p.mediaType() == MediaType.VIDEO && p.isKeyframe()) {
                keyframes++;
                long now = System.nanoTime();
                if (lastKeyframeNanos != Long.MIN_VALUE) {
                    keyframeIntervalNanos = now - lastKeyframeNanos;
                }
                lastKeyframeNanos = now;
                clearGop();
                gopValid = kit.gopCacheMaxBytes() > 0;
            }
            if (gopValid) {
                gop.add(p.retain());
                gopBytes += p.size();
                if (gopBytes > kit.gopCacheMaxBytes()) {
                    clearGop();
                }
            }
            for (DefaultSubscription s : subscriptions) {
                s.offerPacket(p, hasVideo);
            }
            p.release();
            return true;
        }
    }

    private boolean hasTrack(int trackId) {
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).id() == trackId) {
                return true;
            }
        }
        return false;
    }

    /** Under lock. */
    private void clearGop() {
        for (MediaPacket p : gop) {
            p.release();
        }
        gop.clear();
        gopBytes = 0;
        gopValid = false;
    }

    void unpublish(DefaultPublisher from) {
        synchronized (lock) {
            if (publisher != from) {
                return;
            }
            from.revoke();
            publisher = null;
            if (state != StreamState.LIVE) {
                return;
            }
            long grace = kit.graceNanos();
            if (grace == 0 || kit.isClosed()) {
                goIdle();
            } else {
                state = StreamState.GRACE;
                log.atInfo().addKeyValue("stream", path).log("publisher {} left; waiting {} ms for it to return",
                        from.label(), TimeUnit.NANOSECONDS.toMillis(grace));
                try {
                    graceTimer = kit.scheduler().schedule(this::graceExpired, grace, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    goIdle();
                }
            }
        }
    }

    private void graceExpired() {
        synchronized (lock) {
            if (state == StreamState.GRACE) {
                graceTimer = null;
                goIdle();
            }
        }
    }

    /** Test hook: ends the grace period now, as if the timer fired. */
    void expireGraceNow() {
        synchronized (lock) {
            if (graceTimer != null) {
                graceTimer.cancel(false);
            }
            graceExpired();
        }
    }

    /** Under lock. */
    private void goIdle() {
        state = StreamState.IDLE;
        // lastDtsNanos is kept: subscribers that stay see one monotonic timeline across publishers
        clearGop();
        for (DefaultSubscription s : subscriptions) {
            s.offerUnpublished();
            s.requireKeyframe();
        }
        log.atInfo().addKeyValue("stream", path).log("stream {} is no longer published", path);
        kit.emit(new StreamKitEvent.StreamUnpublished(Instant.now(), path));
        detachIfUnused();
    }

    /** Under lock: drops an idle stream nobody uses from the registry, bounding memory. */
    private void detachIfUnused() {
        if (state == StreamState.IDLE && subscriptions.length == 0 && endpoints.isEmpty() && !detached) {
            detached = kit.detach(this);
        }
    }

    @Override
    public Subscription subscribe(MediaSink sink, SubscribeOptions options) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(options, "options");
        DefaultSubscription sub = new DefaultSubscription(this, sink, options, kit.nextId("sub"));
        sink.onSubscribe(sub);
        synchronized (lock) {
            ensureAttached();
            DefaultSubscription[] next = Arrays.copyOf(subscriptions, subscriptions.length + 1);
            next[subscriptions.length] = sub;
            subscriptions = next;
            boolean useGop = options.fromGopCache() && gopValid;
            sub.start(tracks, useGop ? gop : List.of(), hasVideo && !useGop);
        }
        log.atDebug().addKeyValue("stream", path).log("subscriber {} joined", options.label());
        kit.emit(new StreamKitEvent.SubscriberAdded(Instant.now(), path, sub.id(), options.label()));
        return sub;
    }

    void removeSubscription(DefaultSubscription sub) {
        synchronized (lock) {
            int i = Arrays.asList(subscriptions).indexOf(sub);
            if (i < 0) {
                return;
            }
            DefaultSubscription[] next = new DefaultSubscription[subscriptions.length - 1];
            System.arraycopy(subscriptions, 0, next, 0, i);
            System.arraycopy(subscriptions, i + 1, next, i, subscriptions.length - i - 1);
            subscriptions = next;
            detachIfUnused();
        }
        kit.emit(new StreamKitEvent.SubscriberRemoved(Instant.now(), path, sub.id(), sub.label()));
    }

    TransportProvider transportFor(java.net.URI uri) {
        return kit.transport(uri.getScheme()).orElseThrow(() -> new IllegalArgumentException(
                "no transport handles scheme '" + uri.getScheme() + "' (known: " + kit.transports().keySet() + ")"));
    }

    @Override
    public Output addOutput(OutputConfig config) {
        TransportProvider provider = transportFor(config.uri());
        DefaultOutput out = new DefaultOutput(this, provider, config, kit.nextId("out"));
        attachEndpoint(out, config.enabled());
        return out;
    }

    @Override
    public Input addInput(InputConfig config) {
        TransportProvider provider = transportFor(config.uri());
        DefaultInput in = new DefaultInput(this, provider, config, kit.nextId("in"));
        attachEndpoint(in, config.enabled());
        return in;
    }

    private void attachEndpoint(AbstractEndpoint<?> endpoint, boolean enable) {
        synchronized (lock) {
            ensureAttached();
            endpoints.add(endpoint);
        }
        if (enable) {
            endpoint.enable();
        }
    }

    void removeEndpoint(AbstractEndpoint<?> endpoint) {
        synchronized (lock) {
            endpoints.remove(endpoint);
            detachIfUnused();
        }
    }

    @Override
    public List<Output> outputs() {
        List<Output> out = new ArrayList<>();
        for (AbstractEndpoint<?> e : endpoints) {
            if (e instanceof Output o) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Input> inputs() {
        List<Input> in = new ArrayList<>();
        for (AbstractEndpoint<?> e : endpoints) {
            if (e instanceof Input i) {
                in.add(i);
            }
        }
        return List.copyOf(in);
    }

    @Override
    public List<SubscriptionStats> subscriptions() {
        DefaultSubscription[] subs;
        synchronized (lock) {
            subs = subscriptions;
        }
        List<SubscriptionStats> out = new ArrayList<>(subs.length);
        for (DefaultSubscription s : subs) {
            out.add(s.stats());
        }
        return out;
    }

    @Override
    public StreamStats stats() {
        synchronized (lock) {
            return new StreamStats(path, state, subscriptions.length, publishes, packetsIn, bytesIn, packetsRejected,
                    rate.bitrate1s(), rate.bitrate10s(), keyframes, Duration.ofNanos(keyframeIntervalNanos),
                    state == StreamState.LIVE ? Duration.ofNanos(System.nanoTime() - liveSinceNanos) : Duration.ZERO);
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        DefaultSubscription[] subs;
        List<AbstractEndpoint<?>> eps;
        synchronized (lock) {
            if (state == StreamState.CLOSED) {
                return closeFuture;
            }
            eps = List.copyOf(endpoints);
        }
        for (AbstractEndpoint<?> e : eps) {
            e.close();
        }
        boolean wasPublished;
        synchronized (lock) {
            wasPublished = state == StreamState.LIVE || state == StreamState.GRACE;
            state = StreamState.CLOSED;
            if (publisher != null) {
                publisher.revoke();
                publisher = null;
            }
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            clearGop();
            subs = subscriptions;
            subscriptions = NO_SUBSCRIPTIONS;
            endpoints.clear();
            kit.detach(this);
            detached = true;
        }
        for (DefaultSubscription s : subs) {
            s.closeFromStream(null);
        }
        if (wasPublished) {
            kit.emit(new StreamKitEvent.StreamUnpublished(Instant.now(), path));
        }
        closeFuture.complete(null);
        return closeFuture;
    }

    @Override
    public String toString() {
        return "Stream[" + path + "]";
    }
}
