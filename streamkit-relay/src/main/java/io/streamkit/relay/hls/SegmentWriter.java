package io.streamkit.relay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.mp4.FragmentedMp4Muxer;
import io.streamkit.relay.ts.TsMuxer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the packets of one track set into the bytes of HLS media segments, part by part: packets
 * are {@linkplain #add(MediaPacket) added} and every {@link #flush()} returns the bytes of what
 * was added since the previous one, as one contiguous buffer (one copy when packaging, none when
 * serving). Confined to the packager's sink thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-3.3">RFC 8216, section 3.3: fragmented MPEG-4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-3.2">RFC 8216, section 3.2: MPEG-2 transport
 *      streams</a>
 */
abstract class SegmentWriter implements AutoCloseable {
    final ByteBufAllocator alloc;

    SegmentWriter(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * @param format the container
     * @param alloc allocates the output
     * @param tracks the tracks, already checked to be supported
     * @return a writer
     * @throws io.streamkit.api.CodecException when a configuration is unusable
     */
    static SegmentWriter create(HlsFormat format, ByteBufAllocator alloc, List<TrackInfo> tracks) {
        return format == HlsFormat.FMP4 ? new Fmp4(alloc, tracks) : new Ts(alloc, tracks);
    }

    /** @return the initialization segment (owned by the caller), {@code null} when the format has none */
    abstract ByteBuf initSegment();

    /** Called before the first packet of every segment. */
    abstract void startSegment();

    /** @param packet a packet in decode order, lent: retained when kept */
    abstract void add(MediaPacket packet);

    /** @return the bytes of the packets added since the last flush (owned by the caller), {@code null} when none */
    abstract ByteBuf flush();

    /** Releases whatever is pending. */
    @Override
    public abstract void close();

    /** Copies buffers into one contiguous buffer and releases them. */
    final ByteBuf concat(List<ByteBuf> parts) {
        int size = 0;
        for (ByteBuf b : parts) {
            size += b.readableBytes();
        }
        ByteBuf out = alloc.directBuffer(size);
        try {
            for (ByteBuf b : parts) {
                out.writeBytes(b, b.readerIndex(), b.readableBytes());
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            parts.forEach(ByteBuf::release);
            parts.clear();
        }
    }

    /**
     * fMP4 (CMAF): every flush is one {@code moof}+{@code mdat} fragment of the pending samples.
     */
    static final class Fmp4 extends SegmentWriter {
        private final FragmentedMp4Muxer muxer;
        private final List<MediaPacket> pending = new ArrayList<>();
        private int sequence;

        Fmp4(ByteBufAllocator alloc, List<TrackInfo> tracks) {
            super(alloc);
            this.muxer = new FragmentedMp4Muxer(tracks);
        }

        @Override
        ByteBuf initSegment() {
            return muxer.initSegment(alloc);
        }

        @Override
        void startSegment() {
            // every fragment is self-contained; nothing to repeat
        }

        @Override
        void add(MediaPacket packet) {
            pending.add(packet.retain());
        }

        @Override
        ByteBuf flush() {
            if (pending.isEmpty()) {
                return null;
            }
            try {
                List<ByteBuf> one = new ArrayList<>(1);
                one.add(muxer.fragment(alloc, pending, ++sequence));
                return concat(one);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            pending.forEach(MediaPacket::release);
            pending.clear();
        }
    }

    /**
     * MPEG-TS: the transport stream of the packets added, PAT and PMT at the start of every
     * segment.
     */
    static final class Ts extends SegmentWriter {
        private final List<TrackInfo> tracks;
        private final TsMuxer muxer;
        private final List<ByteBuf> pending = new ArrayList<>();

        Ts(ByteBufAllocator alloc, List<TrackInfo> tracks) {
            super(alloc);
            this.tracks = List.copyOf(tracks);
            this.muxer = new TsMuxer(alloc, this.tracks, pending::add);
        }

        @Override
        ByteBuf initSegment() {
            return null;
        }

        @Override
        void startSegment() {
            muxer.updateTracks(tracks); // same layout: only schedules PAT and PMT before the next packet
        }

        @Override
        void add(MediaPacket packet) {
            muxer.write(packet);
        }

        @Override
        ByteBuf flush() {
            return pending.isEmpty() ? null : concat(pending);
        }

        @Override
        public void close() {
            pending.forEach(ByteBuf::release);
            pending.clear();
        }
    }
}
