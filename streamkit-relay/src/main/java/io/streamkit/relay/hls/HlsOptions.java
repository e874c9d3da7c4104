package io.streamkit.relay.hls;

import java.time.Duration;
import java.util.Objects;

/**
 * How streams are packaged as HLS. Immutable; derive variants with the {@code with...} methods,
 * each of which validates the result (so set the durations before turning low latency on).
 *
 * <pre>{@code
 * HlsOptions ll = HlsOptions.defaults().withLowLatency(true).withPartDuration(Duration.ofMillis(250));
 * HlsOptions legacy = HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS).withSegmentDuration(Duration.ofSeconds(4));
 * }</pre>
 *
 * @param format the segment container
 * @param segmentDuration the target segment length: a segment is cut at the first video keyframe
 *        (any audio frame for audio-only streams) at or after this much media, so real segments
 *        follow the GOP; from 100 ms to 60 s
 * @param windowSize how many complete segments the media playlist lists, from 3 to 1000
 * @param extraSegments how many segments are kept after they leave the window, so slow clients
 *        can still fetch them, from 0 to 1000
 * @param lowLatency whether to serve low-latency HLS: partial segments, blocking playlist reload
 *        and preload hints ({@link HlsFormat#FMP4} only)
 * @param partDuration the part target duration of low-latency HLS, from 100 ms to 5 s and
 *        shorter than {@code segmentDuration}; parts are cut at frame boundaries so that none
 *        exceeds it
 * @param idleTimeout how long an on-demand packager may go without a request before it stops (and
 *        an ended one is kept for players to see the end); at least 1 s
 * @param alwaysOn whether every published stream is packaged as soon as it goes live, rather
 *        than on its first request
 * @param startTimeout how long the first request for a stream waits for its first segment; at
 *        least 1 s
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216, HTTP Live Streaming</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis">draft-pantos-hls-rfc8216bis
 *      (low-latency HLS)</a>
 */
public record HlsOptions(HlsFormat format, Duration segmentDuration, int windowSize, int extraSegments,
        boolean lowLatency, Duration partDuration, Duration idleTimeout, boolean alwaysOn, Duration startTimeout) {

    /** The default target segment duration: 2 s. */
    public static final Duration DEFAULT_SEGMENT_DURATION = Duration.ofSeconds(2);
    /** The default number of segments listed in the media playlist: 7. */
    public static final int DEFAULT_WINDOW_SIZE = 7;
    /** The default number of segments kept after leaving the window: 3. */
    public static final int DEFAULT_EXTRA_SEGMENTS = 3;
    /** The default part target duration of low-latency HLS: 300 ms. */
    public static final Duration DEFAULT_PART_DURATION = Duration.ofMillis(300);
    /** The default idle timeout of an on-demand packager: 30 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The default time the first request waits for the first segment: 10 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration MIN_SEGMENT = Duration.ofMillis(100);
    private static final Duration MAX_SEGMENT = Duration.ofSeconds(60);
    private static final Duration MIN_PART = Duration.ofMillis(100);
    private static final Duration MAX_PART = Duration.ofSeconds(5);
    private static final int MAX_SEGMENTS = 1000;

    /** Validates every field. */
    public HlsOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(segmentDuration, "segmentDuration");
        Objects.requireNonNull(partDuration, "partDuration");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (segmentDuration.compareTo(MIN_SEGMENT) < 0 || segmentDuration.compareTo(MAX_SEGMENT) > 0) {
            throw new IllegalArgumentException("segmentDuration must be between 100 ms and 60 s, was "
                    + segmentDuration.toMillis() + " ms");
        }
        if (windowSize < 3 || windowSize > MAX_SEGMENTS) {
            throw new IllegalArgumentException("windowSize must be between 3 and 1000 segments, was " + windowSize);
        }
        if (extraSegments < 0 || extraSegments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("extraSegments must be between 0 and 1000, was " + extraSegments);
        }
        if (partDuration.compareTo(MIN_PART) < 0 || partDuration.compareTo(MAX_PART) > 0) {
            throw new IllegalArgumentException("partDuration must be between 100 ms and 5 s, was " + partDuration
                    .toMillis() + " ms");
        }
        if (lowLatency && partDuration.compareTo(segmentDuration) >= 0) {
            throw new IllegalArgumentException("partDuration (" + partDuration.toMillis()
                    + " ms) must be shorter than segmentDuration (" + segmentDuration.toMillis() + " ms)");
        }
        if (lowLatency && format != HlsFormat.FMP4) {
            throw new IllegalArgumentException(
                    "lowLatency needs format FMP4 (partial segments are fMP4 fragments), was "
                            + format);
        }
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("idleTimeout must be at least 1 s, was " + idleTimeout.toMillis()
                    + " ms");
        }
        if (startTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("startTimeout must be at least 1 s, was " + startTimeout.toMillis()
                    + " ms");
        }
    }

    /**
     * @return fMP4 segments of 2 s, a window of 7 segments plus 3 kept, no low latency (parts of
     *         300 ms when turned on), packaging on demand, stopped after 30 s without requests
     */
    public static HlsOptions defaults() {
        return new HlsOptions(HlsFormat.FMP4, DEFAULT_SEGMENT_DURATION, DEFAULT_WINDOW_SIZE, DEFAULT_EXTRA_SEGMENTS,
                false, DEFAULT_PART_DURATION, DEFAULT_IDLE_TIMEOUT, false, DEFAULT_START_TIMEOUT);
    }

    /** @param newFormat the segment container @return a copy with that format */
    public HlsOptions withFormat(HlsFormat newFormat) {
        return new HlsOptions(newFormat, segmentDuration, windowSize, extraSegments, lowLatency, partDuration,
                idleTimeout, alwaysOn, startTimeout);
    }

    /** @param duration the target segment duration @return a copy with that duration */
    public HlsOptions withSegmentDuration(Duration duration) {
        return new HlsOptions(format, duration, windowSize, extraSegments, lowLatency, partDuration, idleTimeout,
                alwaysOn, startTimeout);
    }

    /** @param segments segments listed in the media playlist @return a copy with that window */
    public HlsOptions withWindowSize(int segments) {
        return new HlsOptions(format, segmentDuration, segments, extraSegments, lowLatency, partDuration,
                idleTimeout, alwaysOn, startTimeout);
    }

    /** @param segments segments kept after leaving the window @return a copy */
    public HlsOptions withExtraSegments(int segments) {
        return new HlsOptions(format, segmentDuration, windowSize, segments, lowLatency, partDuration, idleTimeout,
                alwaysOn, startTimeout);
    }

    /** @param enabled whether to serve low-latency HLS @return a copy */
    public HlsOptions withLowLatency(boolean enabled) {
        return new HlsOptions(format, segmentDuration, windowSize, extraSegments, enabled, partDuration, idleTimeout,
                alwaysOn, startTimeout);
    }

    /** @param duration the part target duration of low-latency HLS @return a copy */
    public HlsOptions withPartDuration(Duration duration) {
        return new HlsOptions(format, segmentDuration, windowSize, extraSegments, lowLatency, duration, idleTimeout,
                alwaysOn, startTimeout);
    }

    /** @param timeout how long a packager may go without requests @return a copy */
    public HlsOptions withIdleTimeout(Duration timeout) {
        return new HlsOptions(format, segmentDuration, windowSize, extraSegments, lowLatency, partDuration, timeout,
                alwaysOn, startTimeout);
    }

    /** @param enabled whether to package every stream as soon as it goes live @return a copy */
    public HlsOptions withAlwaysOn(boolean enabled) {
        return new HlsOptions(format, segmentDuration, windowSize, extraSegments, lowLatency, partDuration,
                idleTimeout, enabled, startTimeout);
    }

    /** @param timeout how long the first request waits for the first segment @return a copy */
    public HlsOptions withStartTimeout(Duration timeout) {
        return new HlsOptions(format, segmentDuration, windowSize, extraSegments, lowLatency, partDuration,
                idleTimeout, alwaysOn, timeout);
    }
}
