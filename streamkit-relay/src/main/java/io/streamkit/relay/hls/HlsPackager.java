package io.streamkit.relay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Stream;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages one {@link Stream} as live HLS: a {@link MediaSink} subscribed to the stream that cuts
 * its packets, without re-encoding, into media segments (and, for low-latency HLS, partial
 * segments), keeps a sliding window of them in memory and renders the playlists.
 *
 * <p><b>Segmenting.</b> Timing follows the decode times of the main track (the video track, else
 * the audio track), whatever the packets' timescales. A segment starts at a video keyframe and is
 * cut at the first keyframe at or after {@link HlsOptions#segmentDuration()}, so segment lengths
 * follow the GOP. With {@link HlsOptions#lowLatency()}, a segment is made of parts: each part is
 * one fMP4 fragment ({@code moof}+{@code mdat}) of whole samples, cut before the frame that would
 * make it longer than {@link HlsOptions#partDuration()}; a part that starts with a keyframe is
 * {@code INDEPENDENT=YES}. Without low latency each segment is one fragment. At most one video and
 * one audio track are packaged: H.264, H.265, AAC and Opus in fMP4; H.264, H.265 and AAC in
 * MPEG-TS. A change of the track set (new codec configuration), a publisher change and a gap in
 * the timestamps start a new segment with {@code EXT-X-DISCONTINUITY} (and, for fMP4, a new
 * initialization segment {@code initN.mp4}). When the publisher is gone for good the playlist
 * gets {@code EXT-X-ENDLIST}.
 *
 * <p><b>Memory and buffers.</b> Each part is copied once into one buffer when it is cut; a
 * segment's bytes are its parts' buffers, shared. Serving hands out retained duplicates (the
 * caller releases them), so a response costs no copy. Segments beyond
 * {@link HlsOptions#windowSize()} + {@link HlsOptions#extraSegments()} are released.
 *
 * <p><b>Threads.</b> Packets are handled on the executor given to {@link #start}; the playlist,
 * segment and wait methods may be called from any thread. Waits complete on the packager's
 * executor; continue on your own ({@code whenCompleteAsync}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216, HTTP Live Streaming</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis">draft-pantos-hls-rfc8216bis,
 *      HTTP Live Streaming 2nd edition (low-latency HLS)</a>
 */
public final class HlsPackager implements MediaSink, AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    /** Keyframes this close before the target still end a segment (timestamp rounding). */
    private static final long CUT_TOLERANCE_NANOS = 1_000_000L;
    /** A main-track step longer than this (or backwards) is a discontinuity. */
    private static final long MAX_STEP_NANOS = 5_000_000_000L;
    private static final long DEFAULT_VIDEO_FRAME_NANOS = 1_000_000_000L / 30;
    private static final long DEFAULT_AUDIO_FRAME_NANOS = 1_000_000_000L * 1024 / 48_000;
    /** Packets queued for the packager at most: room for a long cached GOP at start-up. */
    private static final int QUEUE_CAPACITY = 4096;

    private final String path;
    private final HlsOptions options;
    private final ScheduledExecutorService executor;
    private final ByteBufAllocator alloc;
    private final LongSupplier wallClock;
    private final long targetNanos;
    private final long partTargetNanos;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile long lastRequestNanos = System.nanoTime();
    private volatile Stream stream;
    private volatile Subscription subscription;

    // ---- confined to the sink thread
    private List<TrackInfo> packaged = List.of();
    private SegmentWriter writer;
    private int mainTrackId = -1;
    private boolean mainIsVideo;
    private int pendingSamples;
    private long segmentStartNanos;
    private long partStartNanos;
    private boolean partIndependent;
    private long lastMainNanos = Long.MIN_VALUE;
    private long generationStartNanos = Long.MIN_VALUE;
    private long frameNanos = DEFAULT_VIDEO_FRAME_NANOS;
    private boolean discontinuityNext;
    private long publishes = -1;
    private HlsSegment.WallClock clock = new HlsSegment.WallClock();
    /** Why nothing is packaged, empty while tracks are packaged; written on the sink thread. */
    private volatile String unsupported = "";

    // ---- guarded by lock
    private final Object lock = new Object();
    private final ArrayDeque<HlsSegment> segments = new ArrayDeque<>();
    private final Map<Integer, ByteBuf> inits = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private HlsSegment current;
    private List<TrackInfo> tracks = List.of();
    private int generation = -1;
    private long nextMsn;
    private boolean ended;
    private boolean closed;
    private long maxSegmentNanos;
    private long evictedDiscontinuities;
    private long segmentCount;
    private long partCount;
    private long byteCount;
    private long discontinuityCount;
    private String mediaCache;
    private String multivariantCache;

    HlsPackager(String path, HlsOptions options, ScheduledExecutorService executor, ByteBufAllocator alloc,
            long firstSequenceNumber, LongSupplier wallClock) {
        this.path = Objects.requireNonNull(path, "path");
        this.options = Objects.requireNonNull(options, "options");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        if (firstSequenceNumber < 0) {
            throw new IllegalArgumentException("firstSequenceNumber must be >= 0, was " + firstSequenceNumber);
        }
        this.nextMsn = firstSequenceNumber;
        this.targetNanos = options.segmentDuration().toNanos();
        this.partTargetNanos = options.partDuration().toNanos();
    }

    /**
     * Starts packaging a stream: subscribes to it from its cached GOP, so the first segment is
     * ready about one GOP later.
     *
     * @param stream the stream
     * @param options how to package it
     * @param executor runs the packaging and the timers (for example a Netty event loop); never
     *        blocked
     * @param alloc allocates the segments
     * @return the running packager; close it to unsubscribe and free its segments
     */
    public static HlsPackager start(Stream stream, HlsOptions options, ScheduledExecutorService executor,
            ByteBufAllocator alloc) {
        return start(stream, options, executor, alloc, 0);
    }

    static HlsPackager start(Stream stream, HlsOptions options, ScheduledExecutorService executor,
            ByteBufAllocator alloc, long firstSequenceNumber) {
        HlsPackager p = new HlsPackager(stream.path(), options, executor, alloc, firstSequenceNumber,
                System::currentTimeMillis);
        p.stream = stream;
        p.subscription = stream.subscribe(p, SubscribeOptions.on(executor).withQueueCapacity(QUEUE_CAPACITY)
                .withLabel("hls " + stream.path()));
        return p;
    }

    /** @return the stream path */
    public String path() {
        return path;
    }

    /** @return the options */
    public HlsOptions options() {
        return options;
    }

    /**
     * Waits until the playlist has a segment.
     *
     * @return completed when a segment is complete (at once when one is); failed with an
     *         {@link HlsRequestException}: 503 when none is within {@link HlsOptions#startTimeout()},
     *         404 when the stream has no track HLS can carry, ended first or the packager closed
     */
    public CompletableFuture<Void> firstSegment() {
        synchronized (lock) {
            if (!segments.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (closed || ended) {
                return CompletableFuture.failedFuture(new HlsRequestException(404, closed
                        ? "HLS packaging of " + path + " stopped"
                        : "stream " + path + " ended before its first segment"));
            }
            String why = unsupported;
            if (!why.isEmpty() && tracks.isEmpty()) {
                return CompletableFuture.failedFuture(new HlsRequestException(404, "stream " + path
                        + " has no track HLS can carry: " + why));
            }
            Waiter w = new Waiter(-1, -1, Waiter.Kind.READY, new CompletableFuture<Void>());
            waiters.add(w);
            w.timeout = schedule(() -> expire(w, "no HLS segment of " + path + " within " + options.startTimeout()
                    .toMillis() + " ms"), options.startTimeout().toNanos());
            @SuppressWarnings("unchecked") // created above as CompletableFuture<Void>
            CompletableFuture<Void> f = (CompletableFuture<Void>) w.future;
            return f;
        }
    }

    /** @return whether the publisher left for good and the playlist ends */
    public boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    /** @return whether the packager is closed */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Notes a request: resets the idle timer and counts it. */
    public void touch() {
        lastRequestNanos = System.nanoTime();
        requests.incrementAndGet();
    }

    /** @return nanoseconds since the last {@link #touch()} (or the start) */
    public long idleNanos() {
        return System.nanoTime() - lastRequestNanos;
    }

    /** @return the media sequence number the next segment will get */
    long nextSequenceNumber() {
        synchronized (lock) {
            return nextMsn;
        }
    }

    // ------------------------------------------------------------------ sink

    @Override
    public void onSubscribe(Subscription s) {
        this.subscription = s;
    }

    @Override
    public void onTracks(List<TrackInfo> newTracks) {
        if (isClosedOrEnded()) {
            return;
        }
        List<TrackInfo> chosen = select(newTracks);
        if (chosen.equals(packaged) && writer != null) {
            return;
        }
        if (chosen.isEmpty() && writer == null) {
            noTracks(); // still nothing to package
            return;
        }
        boolean published;
        synchronized (lock) {
            published = segmentCount > 0 || (current != null && !current.parts.isEmpty());
        }
        if (published) {
            endSegment(lastMainNanos == Long.MIN_VALUE ? segmentStartNanos : lastMainNanos + frameNanos);
            discontinuityNext = true;
        } else {
            abandonSegment();
        }
        if (writer != null) {
            writer.close();
            writer = null;
        }
        packaged = chosen;
        if (chosen.isEmpty()) {
            log.info("HLS {}: no track to package ({}); waiting for new tracks", path, unsupported);
            noTracks();
            return;
        }
        SegmentWriter w;
        ByteBuf init;
        try {
            w = SegmentWriter.create(options.format(), alloc, chosen);
            init = w.initSegment();
        } catch (CodecException e) {
            unsupported = e.getMessage();
            packaged = List.of();
            log.warn("HLS {}: cannot package tracks {}: {}", path, chosen, e.getMessage());
            noTracks();
            return;
        }
        writer = w;
        TrackInfo main = chosen.get(0);
        mainTrackId = main.id();
        mainIsVideo = main.mediaType() == MediaType.VIDEO;
        frameNanos = mainIsVideo ? DEFAULT_VIDEO_FRAME_NANOS : DEFAULT_AUDIO_FRAME_NANOS;
        lastMainNanos = Long.MIN_VALUE;
        generationStartNanos = Long.MIN_VALUE;
        clock = new HlsSegment.WallClock();
        ByteBuf old = null;
        synchronized (lock) {
            if (closed) {
                if (init != null) {
                    init.release();
                }
                return;
            }
            if (published || generation < 0) {
                generation++;
            } else {
                old = inits.remove(generation);
            }
            if (init != null) {
                inits.put(generation, init);
            }
            tracks = chosen;
            multivariantCache = null;
        }
        if (old != null) {
            old.release();
        }
        log.debug("HLS {}: packaging {} as {} (generation {})", path, chosen, options.format(), generation);
    }

    /** Nothing can be packaged: requests waiting for a first segment learn why at once. */
    private void noTracks() {
        List<Waiter> starting = new ArrayList<>();
        synchronized (lock) {
            tracks = List.of();
            multivariantCache = null;
            if (segmentCount == 0) {
                for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (w.kind == Waiter.Kind.READY) {
                        it.remove();
                        starting.add(w);
                    }
                }
            }
        }
        String why = unsupported.isEmpty() ? "no track" : unsupported;
        for (Waiter w : starting) {
            if (w.timeout != null) {
                w.timeout.cancel(false);
            }
            w.future.completeExceptionally(new HlsRequestException(404, "stream " + path
                    + " has no track HLS can carry: " + why));
        }
    }

    /** One video and one audio track the format can carry, video first; notes the others. */
    private List<TrackInfo> select(List<TrackInfo> all) {
        TrackInfo video = null;
        TrackInfo audio = null;
        StringBuilder skipped = new StringBuilder();
        for (TrackInfo t : all) {
            boolean ok = switch (t.codec()) {
                case H264, H265, AAC -> !t.config().isEmpty();
                case OPUS -> options.format() == HlsFormat.FMP4;
                default -> false;
            };
            if (ok && t.mediaType() == MediaType.VIDEO && video == null) {
                video = t;
            } else if (ok && t.mediaType() == MediaType.AUDIO && audio == null) {
                audio = t;
            } else {
                if (skipped.length() > 0) {
                    skipped.append(", ");
                }
                skipped.append("track ").append(t.id()).append(' ').append(t.codec()).append(t.config().isEmpty()
                        && t.codec() != Codec.OPUS ? " without configuration" : "");
            }
        }
        if (skipped.length() > 0) {
            unsupported = skipped + " not carried in " + options.format();
            log.info("HLS {}: {}", path, unsupported);
        } else {
            unsupported = "";
        }
        List<TrackInfo> out = new ArrayList<>(2);
        if (video != null) {
            out.add(video);
        }
        if (audio != null) {
            out.add(audio);
        }
        return List.copyOf(out);
    }

    @Override
    public void onPacket(MediaPacket p) {
        if (writer == null || isClosedOrEnded()) {
            return;
        }
        int trackId = p.trackId();
        boolean main = trackId == mainTrackId;
        if (!main && (packaged.size() < 2 || packaged.get(1).id() != trackId)) {
            return;
        }
        long t = p.dtsNanos();
        boolean key = main && (p.isKeyframe() || !mainIsVideo);
        clock.observe(wallClock.getAsLong(), t);
        try {
            if (!segmentOpen()) {
                if (!key) {
                    return; // wait for a keyframe to start at
                }
                openSegment(t);
            } else if (main) {
                boolean gap = lastMainNanos != Long.MIN_VALUE && (t < lastMainNanos
                        || t - lastMainNanos > MAX_STEP_NANOS);
                if (!gap && lastMainNanos != Long.MIN_VALUE && t > lastMainNanos) {
                    frameNanos = t - lastMainNanos; // the best guess of this frame's duration: the last step
                }
                boolean due = t - segmentStartNanos >= targetNanos - CUT_TOLERANCE_NANOS;
                boolean newPublisher = key && (mainIsVideo || due) && publisherChanged();
                if (key && (gap || newPublisher || due)) {
                    if (gap || newPublisher) {
                        log.info("HLS {}: {}; a discontinuity follows", path, gap
                                ? "timestamps jump from "
                                        + lastMainNanos / 1_000_000 + " ms to " + t / 1_000_000 + " ms"
                                : "a new publisher");
                        endSegment(lastMainNanos + frameNanos);
                        discontinuityNext = true;
                        clock = new HlsSegment.WallClock();
                        clock.observe(wallClock.getAsLong(), t);
                    } else {
                        endSegment(t);
                    }
                    openSegment(t);
                } else if (options.lowLatency() && pendingSamples > 0
                        && t - partStartNanos + frameNanos > partTargetNanos) {
                    flushPart(t);
                    partStartNanos = t;
                    partIndependent = key;
                }
            } else if (t < generationStartNanos) {
                return; // audio from before the first keyframe of these tracks
            }
            writer.add(p);
            pendingSamples++;
            if (main) {
                lastMainNanos = t;
                if (mainIsVideo) {
                    synchronized (lock) {
                        if (current != null) {
                            current.videoFrames++;
                        }
                    }
                }
            }
        } catch (CodecException e) {
            log.warn("HLS {}: dropped a packet of track {} that cannot be packaged: {}", path, trackId, e
                    .getMessage());
        }
    }

    private boolean segmentOpen() {
        synchronized (lock) {
            return current != null;
        }
    }

    private boolean isClosedOrEnded() {
        synchronized (lock) {
            return closed || ended;
        }
    }

    private void openSegment(long t) {
        if (publishes < 0) {
            publisherChanged(); // the baseline
        }
        boolean disc = discontinuityNext;
        discontinuityNext = false;
        if (generationStartNanos == Long.MIN_VALUE) {
            generationStartNanos = t;
        }
        synchronized (lock) {
            current = new HlsSegment(nextMsn++, generation, disc && segmentCount > 0, t, clock);
            if (current.discontinuity) {
                discontinuityCount++;
            }
            mediaCache = null;
        }
        segmentStartNanos = t;
        partStartNanos = t;
        partIndependent = true;
        pendingSamples = 0;
        writer.startSegment();
    }

    /** Whether another publisher went live since the last check (the stream keeps timestamps monotonic). */
    private boolean publisherChanged() {
        Stream s = stream;
        if (s == null) {
            return false;
        }
        long n = s.stats().publishes();
        boolean changed = publishes >= 0 && n != publishes;
        publishes = n;
        return changed;
    }

    /** Cuts the pending samples into a part of the open segment. */
    private void flushPart(long endNanos) {
        ByteBuf data = writer.flush();
        pendingSamples = 0;
        if (data == null) {
            return;
        }
        List<Runnable> done;
        synchronized (lock) {
            if (!addPartLocked(data, endNanos)) {
                return;
            }
            done = satisfiedWaiters();
        }
        done.forEach(Runnable::run);
    }

    /**
     * Under lock: adds a flushed fragment to the open segment as its next part.
     *
     * @return false when there is no open segment (the data is released)
     */
    private boolean addPartLocked(ByteBuf data, long endNanos) {
        if (closed || current == null) {
            data.release();
            return false;
        }
        HlsSegment.HlsPart part = new HlsSegment.HlsPart(current.parts.size(), partStartNanos, Math.max(1_000_000L,
                endNanos - partStartNanos), partIndependent, data);
        current.addPart(part);
        partCount++;
        byteCount += data.readableBytes();
        mediaCache = null;
        return true;
    }

    /**
     * Completes the open segment at {@code endNanos}. Its last part and its completion are one
     * change under the lock: no playlist shows the last part in a segment still open, whose
     * preload hint would name a part that never comes.
     */
    private void endSegment(long endNanos) {
        if (!segmentOpen()) {
            return;
        }
        ByteBuf lastPart = writer.flush();
        pendingSamples = 0;
        List<Runnable> done;
        List<HlsSegment> evicted = new ArrayList<>();
        List<ByteBuf> oldInits = new ArrayList<>();
        boolean first;
        synchronized (lock) {
            if (lastPart != null) {
                addPartLocked(lastPart, endNanos);
            }
            HlsSegment s = current;
            current = null;
            if (closed || s == null) {
                return;
            }
            if (s.parts.isEmpty()) {
                if (s.msn == nextMsn - 1) {
                    nextMsn--;
                }
                if (s.discontinuity) {
                    discontinuityNext = true;
                    discontinuityCount--;
                }
                return;
            }
            s.complete(endNanos, alloc);
            segments.addLast(s);
            segmentCount++;
            maxSegmentNanos = Math.max(maxSegmentNanos, s.durationNanos);
            while (segments.size() > options.windowSize() + options.extraSegments()) {
                HlsSegment old = segments.removeFirst();
                if (old.discontinuity) {
                    evictedDiscontinuities++;
                }
                evicted.add(old);
            }
            int oldest = segments.isEmpty() ? generation : segments.peekFirst().generation;
            for (Iterator<Map.Entry<Integer, ByteBuf>> it = inits.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Integer, ByteBuf> e = it.next();
                if (e.getKey() < oldest && e.getKey() != generation) {
                    oldInits.add(e.getValue());
                    it.remove();
                }
            }
            for (HlsSegment old : evicted) {
                old.release();
            }
            mediaCache = null;
            multivariantCache = null;
            done = satisfiedWaiters();
            first = segmentCount == 1;
        }
        oldInits.forEach(ByteBuf::release);
        clock.freeze(); // players see dates once a segment is complete: from now on they stay put
        if (first) {
            log.info("HLS {}: first segment ready", path);
        }
        done.forEach(Runnable::run);
    }

    /** Drops the open segment and the pending samples without publishing anything. */
    private void abandonSegment() {
        if (writer != null) {
            writer.close();
        }
        pendingSamples = 0;
        synchronized (lock) {
            if (current != null) {
                current.release();
                if (current.msn == nextMsn - 1) {
                    nextMsn--;
                }
                current = null;
            }
        }
    }

    @Override
    public void onUnpublished() {
        if (isClosedOrEnded()) {
            return;
        }
        endSegment(lastMainNanos == Long.MIN_VALUE ? segmentStartNanos : lastMainNanos + frameNanos);
        if (writer != null) {
            writer.close();
        }
        List<Runnable> done;
        synchronized (lock) {
            ended = true;
            mediaCache = null;
            done = satisfiedWaiters();
        }
        log.info("HLS {}: the publisher left; the playlist ends", path);
        done.forEach(Runnable::run);
    }

    @Override
    public void onClose(Throwable cause) {
        if (cause != null) {
            log.warn("HLS {}: subscription failed: {}", path, cause.toString());
        }
        closeAsync();
    }

    // ------------------------------------------------------------------ playlists

    private int targetDurationLocked() {
        long ms = Math.max(options.segmentDuration().toMillis(), Math.round(maxSegmentNanos / 1_000_000.0));
        return (int) Math.max(1, (ms + 999) / 1000);
    }

    /** @return the target duration in seconds: the longest segment so far, rounded up */
    public int targetDuration() {
        synchronized (lock) {
            return targetDurationLocked();
        }
    }

    /** @return the media playlist now */
    public String mediaPlaylist() {
        synchronized (lock) {
            return mediaLocked();
        }
    }

    private String mediaLocked() {
        if (mediaCache == null) {
            List<HlsSegment> all = new ArrayList<>(segments);
            int from = Math.max(0, all.size() - options.windowSize());
            long disc = evictedDiscontinuities;
            for (int i = 0; i < from; i++) {
                if (all.get(i).discontinuity) {
                    disc++;
                }
            }
            mediaCache = HlsPlaylistWriter.media(new HlsPlaylistWriter.MediaState(options, targetDurationLocked(),
                    all.subList(from, all.size()), disc, current, nextMsn, ended));
        }
        return mediaCache;
    }

    /**
     * Blocking playlist reload: the media playlist once it holds segment {@code msn} (or, with
     * {@code part >= 0}, part {@code part} of segment {@code msn}, or anything later).
     *
     * @param msn the {@code _HLS_msn} directive
     * @param part the {@code _HLS_part} directive, -1 when absent
     * @return the playlist; failed with {@link HlsRequestException} 400 when the request is more
     *         than two segments (or the advance part limit) ahead, 503 when nothing arrives within
     *         three target durations; without low latency the playlist now
     */
    public CompletableFuture<String> mediaPlaylist(long msn, int part) {
        synchronized (lock) {
            if (!options.lowLatency() || ended || closed || playlistHas(msn, part)) {
                return CompletableFuture.completedFuture(mediaLocked());
            }
            long last = lastCompleteMsn();
            if (msn > last + 2) {
                return CompletableFuture.failedFuture(new HlsRequestException(400, "_HLS_msn=" + msn
                        + " is more than two segments ahead of the last segment " + last));
            }
            if (part >= 0 && current != null && msn == current.msn && part > current.parts.size() - 1
                    + advancePartLimit()) {
                return CompletableFuture.failedFuture(new HlsRequestException(400, "_HLS_part=" + part
                        + " is more than " + advancePartLimit() + " parts ahead of the last part of segment " + msn));
            }
            CompletableFuture<String> f = new CompletableFuture<>();
            Waiter w = new Waiter(msn, part, Waiter.Kind.PLAYLIST, f);
            waiters.add(w);
            w.timeout = schedule(() -> expire(w, "no segment " + msn + (part >= 0 ? " part " + part : "")
                    + " within three target durations"), 3L * targetDurationLocked() * 1_000_000_000L);
            return f;
        }
    }

    /** Under lock: the sequence number of the newest complete segment (one less than the first when none). */
    private long lastCompleteMsn() {
        if (!segments.isEmpty()) {
            return segments.peekLast().msn;
        }
        return (current != null ? current.msn : nextMsn) - 1;
    }

    /** The advance part limit of the LL-HLS specification: 3 / part target, or 3 for parts of a second or more. */
    private int advancePartLimit() {
        return partTargetNanos < 1_000_000_000L ? (int) Math.ceil(3e9 / partTargetNanos) : 3;
    }

    /** Under lock. */
    private boolean playlistHas(long msn, int part) {
        long lastComplete = lastCompleteMsn();
        if (part < 0) {
            return lastComplete >= msn;
        }
        long lastMsn;
        int lastPart;
        if (current != null && !current.parts.isEmpty()) {
            lastMsn = current.msn;
            lastPart = current.parts.size() - 1;
        } else if (!segments.isEmpty()) {
            lastMsn = lastComplete;
            lastPart = segments.peekLast().parts.size() - 1;
        } else {
            return false;
        }
        return lastMsn > msn || (lastMsn == msn && lastPart >= part);
    }

    /**
     * @return the multivariant playlist: one variant, the media playlist, with measured bandwidth,
     *         codecs, resolution and frame rate
     */
    public String multivariantPlaylist() {
        synchronized (lock) {
            if (multivariantCache == null) {
                long bits = 0;
                long nanos = 0;
                long peak = 0;
                long frames = 0;
                long videoNanos = 0;
                for (HlsSegment s : segments) {
                    bits += s.bytes * 8;
                    nanos += s.durationNanos;
                    peak = Math.max(peak, s.bytes * 8_000_000_000L / Math.max(1, s.durationNanos));
                    if (s.videoFrames > 0) {
                        frames += s.videoFrames;
                        videoNanos += s.durationNanos;
                    }
                }
                long average = nanos == 0 ? 0 : (long) (bits * 1e9 / nanos);
                double fps = videoNanos == 0 ? 0 : frames * 1e9 / videoNanos;
                multivariantCache = HlsPlaylistWriter.multivariant(options, tracks, peak, average, fps);
            }
            return multivariantCache;
        }
    }

    // ------------------------------------------------------------------ segments

    /**
     * @param gen a track generation (0 for {@code init.mp4}); a negative value asks for the newest
     * @return a new reference to that initialization segment (release it), empty when it is not
     *         kept or the format has none
     */
    public Optional<ByteBuf> initSegment(int gen) {
        synchronized (lock) {
            ByteBuf b = inits.get(gen < 0 ? generation : gen);
            return closed || b == null ? Optional.empty() : Optional.of(b.retainedDuplicate());
        }
    }

    /**
     * @param msn a media sequence number
     * @return a new reference to that complete segment's bytes (release it), empty when it is not
     *         (or no longer, or not yet) available
     */
    public Optional<ByteBuf> segment(long msn) {
        synchronized (lock) {
            HlsSegment s = find(msn);
            return s == null ? Optional.empty() : Optional.ofNullable(s.retainedData());
        }
    }

    /**
     * @param msn a media sequence number
     * @param index a part index within the segment
     * @return a new reference to that part's bytes (release it), empty when not available
     */
    public Optional<ByteBuf> part(long msn, int index) {
        synchronized (lock) {
            HlsSegment s = current != null && current.msn == msn ? current : find(msn);
            if (s == null || s.released || index < 0 || index >= s.parts.size()) {
                return Optional.empty();
            }
            return Optional.of(s.parts.get(index).data().retainedDuplicate());
        }
    }

    /**
     * Waits for the segment in the making.
     *
     * @param msn a media sequence number
     * @return completed when segment {@code msn} is complete; failed with
     *         {@link HlsRequestException} 404 when it is neither kept nor the one in the making,
     *         503 after three target durations
     */
    public CompletableFuture<Void> awaitSegment(long msn) {
        synchronized (lock) {
            if (find(msn) != null) {
                return CompletableFuture.completedFuture(null);
            }
            if (closed || ended || current == null || current.msn != msn) {
                return CompletableFuture.failedFuture(new HlsRequestException(404, "segment " + msn + " of " + path
                        + " is not available"));
            }
            return await(new Waiter(msn, -1, Waiter.Kind.SEGMENT, new CompletableFuture<>()));
        }
    }

    /**
     * Waits for a part announced by the preload hint.
     *
     * @param msn a media sequence number
     * @param index a part index
     * @return completed when the part exists; failed with {@link HlsRequestException} 404 when
     *         it is not kept and is not the next part, or its segment ended before it, 503 after
     *         three target durations
     */
    public CompletableFuture<Void> awaitPart(long msn, int index) {
        synchronized (lock) {
            HlsSegment s = current != null && current.msn == msn ? current : find(msn);
            if (s != null && index >= 0 && index < s.parts.size()) {
                return CompletableFuture.completedFuture(null);
            }
            boolean next = !closed && !ended && ((current != null && current.msn == msn && index == current.parts
                    .size()) || (msn == nextMsn && index == 0));
            if (!next) {
                return CompletableFuture.failedFuture(new HlsRequestException(404, "part " + msn + "." + index
                        + " of " + path + " is not available"));
            }
            return await(new Waiter(msn, index, Waiter.Kind.PART, new CompletableFuture<>()));
        }
    }

    /** Under lock. */
    private <T> CompletableFuture<T> await(Waiter w) {
        waiters.add(w);
        w.timeout = schedule(() -> expire(w, "waited three target durations for " + (w.kind == Waiter.Kind.PART
                ? "part " + w.msn + "." + w.part
                : "segment " + w.msn)), 3L * targetDurationLocked() * 1_000_000_000L);
        @SuppressWarnings("unchecked") // segment and part waiters are created with CompletableFuture<Void>
        CompletableFuture<T> f = (CompletableFuture<T>) w.future;
        return f;
    }

    /** Under lock. */
    private HlsSegment find(long msn) {
        HlsSegment first = segments.peekFirst();
        if (first == null || msn < first.msn || msn > segments.peekLast().msn) {
            return null;
        }
        HlsSegment s = (msn - first.msn) < segments.size() ? get((int) (msn - first.msn)) : null;
        return s != null && s.msn == msn && !s.released ? s : null;
    }

    private HlsSegment get(int index) {
        int i = 0;
        for (HlsSegment s : segments) {
            if (i++ == index) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ waiters

    /** A request waiting for a segment, a part or a playlist update. */
    private static final class Waiter {
        enum Kind {
            READY, PLAYLIST, SEGMENT, PART
        }

        final long msn;
        final int part;
        final Kind kind;
        final CompletableFuture<?> future;
        ScheduledFuture<?> timeout;

        Waiter(long msn, int part, Kind kind, CompletableFuture<?> future) {
            this.msn = msn;
            this.part = part;
            this.kind = kind;
            this.future = future;
        }
    }

    /** Under lock: removes the waiters that can be answered now and returns how to answer them. */
    private List<Runnable> satisfiedWaiters() {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> out = new ArrayList<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            Runnable action = answer(w);
            if (action != null) {
                it.remove();
                if (w.timeout != null) {
                    w.timeout.cancel(false);
                }
                out.add(action);
            }
        }
        return out;
    }

    /** Under lock. */
    @SuppressWarnings("unchecked") // each kind is created with its own future type
    private Runnable answer(Waiter w) {
        switch (w.kind) {
            case READY -> {
                if (!segments.isEmpty()) {
                    return () -> ((CompletableFuture<Void>) w.future).complete(null);
                }
                if (ended || closed) {
                    return fail(w, 404, "stream " + path + " ended before its first segment");
                }
            }
            case PLAYLIST -> {
                if (ended || closed || playlistHas(w.msn, w.part)) {
                    String text = mediaLocked();
                    return () -> ((CompletableFuture<String>) w.future).complete(text);
                }
            }
            case SEGMENT -> {
                if (find(w.msn) != null) {
                    return () -> ((CompletableFuture<Void>) w.future).complete(null);
                }
                if (ended || closed || current == null || current.msn != w.msn) {
                    return fail(w, 404, "segment " + w.msn + " of " + path + " will not be available");
                }
            }
            case PART -> {
                HlsSegment s = current != null && current.msn == w.msn ? current : find(w.msn);
                if (s != null && w.part < s.parts.size()) {
                    return () -> ((CompletableFuture<Void>) w.future).complete(null);
                }
                if (ended || closed || (s != null && s.isComplete()) || (current != null && current.msn > w.msn)) {
                    return fail(w, 404, "part " + w.msn + "." + w.part + " of " + path + " will not exist");
                }
            }
            default -> throw new IllegalStateException("unknown waiter kind " + w.kind);
        }
        return null;
    }

    private static Runnable fail(Waiter w, int status, String why) {
        return () -> w.future.completeExceptionally(new HlsRequestException(status, why));
    }

    private void expire(Waiter w, String why) {
        boolean removed;
        synchronized (lock) {
            removed = waiters.remove(w);
        }
        if (removed) {
            log.debug("HLS {}: {}", path, why);
            w.future.completeExceptionally(new HlsRequestException(503, why));
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            task.run(); // the executor is shutting down: time out at once
            return null;
        }
    }

    // ------------------------------------------------------------------ stats and close

    /** @return a snapshot of the counters */
    public HlsStats stats() {
        synchronized (lock) {
            long peak = 0;
            for (HlsSegment s : segments) {
                peak = Math.max(peak, s.bytes * 8_000_000_000L / Math.max(1, s.durationNanos));
            }
            return new HlsStats(path, options.format(), options.lowLatency(), segmentCount, partCount, byteCount,
                    requests.get(), peak, discontinuityCount, segments.isEmpty() ? -1 : segments.peekLast().msn,
                    ended);
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        List<Waiter> pending;
        List<ByteBuf> buffers = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
            pending = new ArrayList<>(waiters);
            waiters.clear();
            for (HlsSegment s : segments) {
                s.release();
            }
            segments.clear();
            if (current != null) {
                current.release();
                current = null;
            }
            buffers.addAll(inits.values());
            inits.clear();
            mediaCache = null;
        }
        buffers.forEach(ByteBuf::release);
        for (Waiter w : pending) {
            if (w.timeout != null) {
                w.timeout.cancel(false);
            }
            w.future.completeExceptionally(new HlsRequestException(404, "HLS packaging of " + path + " stopped"));
        }
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        Runnable releaseWriter = () -> {
            if (writer != null) {
                writer.close();
                writer = null;
            }
            closeFuture.complete(null);
        };
        try {
            executor.execute(releaseWriter);
        } catch (RejectedExecutionException e) {
            releaseWriter.run();
        }
        log.debug("HLS {}: packager closed", path);
        return closeFuture;
    }

    @Override
    public String toString() {
        return "HlsPackager[" + path + ", " + options.format() + (options.lowLatency() ? " LL" : "") + "]";
    }
}
