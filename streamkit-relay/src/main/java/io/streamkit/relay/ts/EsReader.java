package io.streamkit.relay.ts;

import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;

/**
 * Turns the payloads of the complete PES packets of one elementary stream into media packets and
 * a track description. One subclass per codec family; created and driven by {@link TsDemuxer}.
 */
abstract class EsReader {
    /** Marks a PES packet without PTS. */
    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** What a reader reports to its demuxer. */
    interface Sink {
        /** @return the allocator for packet payloads */
        ByteBufAllocator alloc();

        /** @param packet a packet whose reference passes to the listener */
        void packet(MediaPacket packet);

        /** The reader's {@link EsReader#track()} changed. */
        void tracksChanged();

        /**
         * Malformed data was skipped.
         *
         * @param message what was wrong
         */
        void malformed(String message);

        /** A frame arrived before the track's configuration and was dropped. */
        void droppedBeforeConfig();
    }

    final int trackId;
    final Sink sink;

    EsReader(int trackId, Sink sink) {
        this.trackId = trackId;
        this.sink = sink;
    }

    /** @return the track once its configuration is known, else {@code null} */
    abstract TrackInfo track();

    /**
     * Handles the payload of one PES packet.
     *
     * @param data the bytes
     * @param from the first payload index
     * @param to the end of the payload (exclusive)
     * @param dts the unwrapped decode time in 90 kHz ticks, or {@link #NO_TIMESTAMP}
     * @param pts the unwrapped presentation time, or {@link #NO_TIMESTAMP}
     */
    abstract void pes(byte[] data, int from, int to, long dts, long pts);

    /** Forgets partial data after a discontinuity or at the end of the stream. */
    void reset() {
    }
}
