package io.streamkit.webrtc.rtp;

import java.util.Map;
import java.util.Objects;

/**
 * Rewrites the packets of one forwarded track for one subscriber: the subscriber sees a single
 * stream with its own SSRC and payload types and continuous sequence numbers and timestamps, even
 * when the source behind it changes (a simulcast layer switch, a publisher that restarts).
 *
 * <p>A <em>segment</em> starts with the first packet of a new source SSRC, after
 * {@link #resync()}, or after a forward jump of more than 3,000 sequence numbers (a restart with
 * the same SSRC, as RFC 3550 A.1 treats it). Its first packet gets the outgoing sequence number
 * after the highest one sent, and a timestamp that advances the last one sent by the wall-clock
 * time elapsed since it, at the clock rate. Within a segment the source's offsets are kept, so
 * reordering and gaps pass through unchanged; a packet older than the segment's first packet is
 * dropped. Feed only packets of the source you want forwarded: a packet from another SSRC makes
 * that SSRC the source.
 *
 * <p>{@link #toSource(int)} maps a sequence number the subscriber NACKs back to the source SSRC
 * and sequence number, over the last {@value #SEGMENT_HISTORY} segments, so the retransmission can
 * come from the publisher's {@link RtpPacketCache}.
 *
 * <p>Not thread-safe: one instance per subscriber track, used from one thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550 §5.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7667#section-3.7">RFC 7667 §3.7, selective
 *      forwarding middlebox</a>
 */
public final class RtpRewriter {
    /** How many past segments {@link #toSource(int)} remembers. */
    public static final int SEGMENT_HISTORY = 16;
    /** A forward jump in source sequence numbers beyond this starts a new segment. */
    public static final int MAX_DROPOUT = 3000;

    /**
     * The subscriber-side identity of the forwarded track.
     *
     * @param ssrc the SSRC the subscriber sees
     * @param clockRate the RTP clock rate in Hz (90000 for video, 48000 for Opus)
     * @param payloadTypes source payload type → subscriber payload type; packets of other types are dropped
     * @param initialSequenceNumber the first outgoing sequence number (random, per RFC 3550)
     * @param initialTimestamp the first outgoing timestamp (random, per RFC 3550)
     */
    public record Config(long ssrc, int clockRate, Map<Integer, Integer> payloadTypes, int initialSequenceNumber,
            long initialTimestamp) {
        /** Validates the ranges and freezes the map. */
        public Config {
            Rtcp.checkU32(ssrc, "ssrc");
            if (clockRate <= 0) {
                throw new IllegalArgumentException("clock rate " + clockRate + " is not positive");
            }
            payloadTypes = Map.copyOf(payloadTypes);
            for (Map.Entry<Integer, Integer> e : payloadTypes.entrySet()) {
                Rtcp.checkRange(e.getKey(), 0, 127, "source payload type");
                Rtcp.checkRange(e.getValue(), 0, 127, "subscriber payload type");
            }
            Rtcp.checkRange(initialSequenceNumber, 0, 0xFFFF, "initial sequence number");
            Rtcp.checkU32(initialTimestamp, "initial timestamp");
        }
    }

    /**
     * Where a forwarded packet came from.
     *
     * @param ssrc the source SSRC
     * @param sequenceNumber the source sequence number
     */
    public record SourcePacket(long ssrc, int sequenceNumber) {
    }

    private final Config config;

    private long sourceSsrc = -1;
    private final SequenceUnwrapper sourceSequence = new SequenceUnwrapper();
    private long segmentFirstSource;
    private long sequenceOffset;
    private long timestampOffset;
    private boolean resyncPending;

    private long highestOut = -1;
    private long highestOutTimestamp;
    private long highestOutNanos;

    private final long[] segmentStart = new long[SEGMENT_HISTORY];
    private final long[] segmentSsrc = new long[SEGMENT_HISTORY];
    private final long[] segmentOffset = new long[SEGMENT_HISTORY];
    private int segments;

    private long forwardedPackets;
    private long forwardedOctets;
    private long droppedPackets;

    /** @param config the subscriber-side identity */
    public RtpRewriter(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Rewrites SSRC, payload type, sequence number and timestamp of a packet in place, or says to
     * drop it.
     *
     * @param packet a packet of the source to forward (its buffer is this subscriber's copy)
     * @param nowNanos the packet's arrival {@link System#nanoTime()}
     * @return true if the packet was rewritten and should be sent, false to drop it (unmapped payload
     *         type, or older than the current segment)
     */
    public boolean rewrite(RtpPacket packet, long nowNanos) {
        Integer payloadType = config.payloadTypes().get(packet.payloadType());
        if (payloadType == null) {
            droppedPackets++;
            return false;
        }
        long ssrc = packet.ssrc();
        int seq = packet.sequenceNumber();
        long sourceExtended;
        if (ssrc != sourceSsrc || resyncPending || sourceSequence.peek(seq) - sourceSequence.highest() > MAX_DROPOUT) {
            sourceExtended = startSegment(ssrc, seq, packet.timestamp(), nowNanos);
        } else {
            sourceExtended = sourceSequence.unwrap(seq);
            if (sourceExtended < segmentFirstSource) {
                droppedPackets++;
                return false;
            }
        }
        long outExtended = sourceExtended + sequenceOffset;
        long outTimestamp = (packet.timestamp() + timestampOffset) & 0xFFFFFFFFL;
        packet.setSsrc(config.ssrc());
        packet.setPayloadType(payloadType);
        packet.setSequenceNumber((int) outExtended);
        packet.setTimestamp(outTimestamp);
        if (outExtended > highestOut) {
            highestOut = outExtended;
            highestOutTimestamp = outTimestamp;
            highestOutNanos = nowNanos;
        }
        forwardedPackets++;
        forwardedOctets += packet.payloadLength();
        return true;
    }

    private long startSegment(long ssrc, int seq, long timestamp, long nowNanos) {
        sourceSsrc = ssrc;
        resyncPending = false;
        sourceSequence.reset();
        long sourceExtended = sourceSequence.unwrap(seq);
        segmentFirstSource = sourceExtended;
        long outExtended;
        long outTimestamp;
        if (highestOut < 0) {
            outExtended = config.initialSequenceNumber();
            outTimestamp = config.initialTimestamp();
        } else {
            outExtended = highestOut + 1;
            outTimestamp = (highestOutTimestamp + Math.max(1, ticksSince(nowNanos))) & 0xFFFFFFFFL;
        }
        sequenceOffset = outExtended - sourceExtended;
        timestampOffset = (outTimestamp - timestamp) & 0xFFFFFFFFL;
        int slot = segments % SEGMENT_HISTORY;
        segmentStart[slot] = outExtended;
        segmentSsrc[slot] = ssrc;
        segmentOffset[slot] = sequenceOffset;
        segments++;
        return sourceExtended;
    }

    private long ticksSince(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - highestOutNanos);
        long rate = config.clockRate();
        return (elapsed / 1_000_000_000L) * rate + (elapsed % 1_000_000_000L) * rate / 1_000_000_000L;
    }

    /** Makes the next packet start a new segment even if its SSRC is the current one. */
    public void resync() {
        resyncPending = true;
    }

    /**
     * Maps an outgoing sequence number (from a subscriber's NACK) back to its source.
     *
     * @param outgoingSequenceNumber a 16-bit sequence number the subscriber saw
     * @return the source SSRC and sequence number, or {@code null} if it was never sent or its
     *         segment is no longer remembered
     */
    public SourcePacket toSource(int outgoingSequenceNumber) {
        if (highestOut < 0) {
            return null;
        }
        long extended = highestOut + (short) ((outgoingSequenceNumber & 0xFFFF) - (int) (highestOut & 0xFFFF));
        if (extended > highestOut) {
            return null;
        }
        int oldest = Math.max(0, segments - SEGMENT_HISTORY);
        for (int i = segments - 1; i >= oldest; i--) {
            int slot = i % SEGMENT_HISTORY;
            if (extended >= segmentStart[slot]) {
                return new SourcePacket(segmentSsrc[slot], (int) ((extended - segmentOffset[slot]) & 0xFFFF));
            }
        }
        return null;
    }

    /**
     * The outgoing RTP timestamp that corresponds to a wall-clock instant, extrapolated from the
     * highest packet sent (for the RTP timestamp of a sender report to the subscriber).
     *
     * @param nowNanos a {@link System#nanoTime()} instant
     * @return the timestamp, or -1 if nothing was forwarded yet
     */
    public long timestampAt(long nowNanos) {
        if (highestOut < 0) {
            return -1;
        }
        return (highestOutTimestamp + ticksSince(nowNanos)) & 0xFFFFFFFFL;
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    /** @return the current source SSRC, or -1 before the first packet */
    public long sourceSsrc() {
        return sourceSsrc;
    }

    /** @return packets rewritten for sending (an SR's packet count) */
    public long forwardedPackets() {
        return forwardedPackets;
    }

    /** @return payload octets rewritten for sending (an SR's octet count) */
    public long forwardedOctets() {
        return forwardedOctets;
    }

    /** @return packets dropped (unmapped payload type, or older than the segment) */
    public long droppedPackets() {
        return droppedPackets;
    }
}
