package io.streamkit.api;

import java.util.Objects;

/**
 * One encoded access unit (a video frame or an audio frame) of one track.
 *
 * <p>Timestamps are in ticks of {@link #timescale()} per second; {@code dts} is the decode
 * time, {@code pts} the presentation time ({@code pts >= dts} for well-formed B-frame streams).
 * The payload format per codec is described on {@link Codec}.
 *
 * <p>Ownership: a packet's reference count is the count of its {@link Payload}. Whoever creates a
 * packet owns one reference and passes it on with the packet, for example to
 * {@link Publisher#send(MediaPacket)}, which takes it. A {@link MediaSink} is lent each packet for
 * the duration of {@link MediaSink#onPacket(MediaPacket)}; it calls {@link #retain()} to keep it
 * and {@link #release()} when done. Fan-out shares one payload among all subscribers; nothing is
 * copied per subscriber.
 */
public final class MediaPacket {
    private final int trackId;
    private final MediaType mediaType;
    private final long pts;
    private final long dts;
    private final int timescale;
    private final boolean keyframe;
    private final Payload payload;

    private MediaPacket(int trackId, MediaType mediaType, long pts, long dts, int timescale, boolean keyframe,
            Payload payload) {
        this.trackId = trackId;
        this.mediaType = mediaType;
        this.pts = pts;
        this.dts = dts;
        this.timescale = timescale;
        this.keyframe = keyframe;
        this.payload = payload;
    }

    /**
     * Creates a packet that takes over the caller's reference to {@code payload}.
     *
     * @param track the track the packet belongs to (id, media type and timescale are taken from it)
     * @param dts decode timestamp in {@code track.timescale()} ticks
     * @param pts presentation timestamp in the same ticks
     * @param keyframe whether decoding can start here (always {@code true} for audio)
     * @param payload the coded bytes
     * @return the packet
     */
    public static MediaPacket of(TrackInfo track, long dts, long pts, boolean keyframe, Payload payload) {
        return of(track.id(), track.mediaType(), dts, pts, track.timescale(), keyframe, payload);
    }

    /**
     * Creates a packet that takes over the caller's reference to {@code payload}.
     *
     * @param trackId the track id
     * @param mediaType the media type of the track
     * @param dts decode timestamp in ticks
     * @param pts presentation timestamp in ticks
     * @param timescale ticks per second, &gt; 0
     * @param keyframe whether decoding can start here (always {@code true} for audio)
     * @param payload the coded bytes
     * @return the packet
     */
    public static MediaPacket of(int trackId, MediaType mediaType, long dts, long pts, int timescale,
            boolean keyframe, Payload payload) {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(payload, "payload");
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be > 0, was " + timescale);
        }
        return new MediaPacket(trackId, mediaType, pts, dts, timescale, keyframe, payload);
    }

    /**
     * Returns a packet with other timestamps that shares this packet's payload and takes over
     * this packet's reference: afterwards release the returned packet, not this one.
     *
     * @param newDts the decode timestamp
     * @param newPts the presentation timestamp
     * @return the re-stamped packet
     */
    public MediaPacket withTimestamps(long newDts, long newPts) {
        return new MediaPacket(trackId, mediaType, newPts, newDts, timescale, keyframe, payload);
    }

    /** @return the track id */
    public int trackId() {
        return trackId;
    }

    /** @return the media type of the track */
    public MediaType mediaType() {
        return mediaType;
    }

    /** @return the presentation timestamp in ticks */
    public long pts() {
        return pts;
    }

    /** @return the decode timestamp in ticks */
    public long dts() {
        return dts;
    }

    /** @return ticks per second */
    public int timescale() {
        return timescale;
    }

    /** @return whether decoding can start at this packet */
    public boolean isKeyframe() {
        return keyframe;
    }

    /** @return the payload; valid while a reference is held */
    public Payload payload() {
        return payload;
    }

    /** @return the payload length in bytes */
    public int size() {
        return payload.length();
    }

    /**
     * @param timestamp a timestamp of this packet in ticks
     * @param targetTimescale the wanted ticks per second
     * @return the timestamp converted, rounded towards negative infinity
     */
    public long rescale(long timestamp, int targetTimescale) {
        return rescale(timestamp, timescale, targetTimescale);
    }

    /**
     * Converts ticks between time bases without overflow for realistic values.
     *
     * @param value a timestamp
     * @param from its ticks per second
     * @param to the wanted ticks per second
     * @return the converted value, rounded towards negative infinity
     */
    public static long rescale(long value, int from, int to) {
        if (from == to) {
            return value;
        }
        long seconds = Math.floorDiv(value, from);
        long remainder = Math.floorMod(value, from);
        return seconds * to + Math.floorDiv(remainder * to, from);
    }

    /** @return the decode timestamp in nanoseconds */
    public long dtsNanos() {
        return rescaleToNanos(dts);
    }

    /** @return the presentation timestamp in nanoseconds */
    public long ptsNanos() {
        return rescaleToNanos(pts);
    }

    private long rescaleToNanos(long ticks) {
        long seconds = Math.floorDiv(ticks, timescale);
        long rem = Math.floorMod(ticks, timescale);
        return seconds * 1_000_000_000L + rem * 1_000_000_000L / timescale;
    }

    /** @return the current reference count */
    public int refCnt() {
        return payload.refCnt();
    }

    /**
     * Adds a reference to the payload.
     *
     * @return this packet
     */
    public MediaPacket retain() {
        payload.retain();
        return this;
    }

    /**
     * Adds references to the payload.
     *
     * @param increment how many
     * @return this packet
     */
    public MediaPacket retain(int increment) {
        payload.retain(increment);
        return this;
    }

    /**
     * Drops a reference to the payload.
     *
     * @return {@code true} when the payload was freed
     */
    public boolean release() {
        return payload.release();
    }

    @Override
    public String toString() {
        return "MediaPacket[track=" + trackId + ", " + mediaType + ", dts=" + dts + ", pts=" + pts + "/" + timescale
                + (keyframe ? ", key" : "") + ", " + payload.length() + " bytes]";
    }
}
