package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.ByteBufPayload;

/**
 * Opus in MPEG-TS (private PES with an {@code 'Opus'} registration descriptor): each access unit
 * is preceded by an {@code opus_control_header} (prefix {@code 0x7FE0}, size, optional trims and
 * extension). One packet per Opus packet; the durations from each packet's TOC advance the
 * timestamps within a PES. The configuration is an {@code OpusHead} for the channel count of the
 * PMT's Opus extension descriptor (mapping family 0, so mono or stereo).
 */
final class OpusReader extends EsReader {
    private static final int OPUS_RATE = 48_000;

    private final TrackInfo track;

    OpusReader(int trackId, Sink sink, int channels) {
        super(trackId, sink);
        this.track = TrackInfo.builder(trackId, Codec.OPUS).timescale(TsPackets.TIMESCALE).config(CodecConfig.of(
                opusHead(channels))).audio(OPUS_RATE, channels).build();
    }

    /**
     * @param channels 1 or 2
     * @return an {@code OpusHead} (RFC 7845 5.1) with no pre-skip and mapping family 0
     */
    static byte[] opusHead(int channels) {
        byte[] head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, (byte) channels, 0, 0, (byte) 0x80, (byte) 0xBB, 0, 0,
                0, 0, 0};
        return head;
    }

    @Override
    TrackInfo track() {
        return track;
    }

    @Override
    void pes(byte[] data, int from, int to, long dts, long pts) {
        if (pts == NO_TIMESTAMP) {
            sink.malformed("Opus PES without PTS");
            return;
        }
        long samples = 0;
        int pos = from;
        while (pos < to) {
            if (to - pos < 2 || (data[pos] & 0xFF) != 0x7F || (data[pos + 1] & 0xE0) != 0xE0) {
                sink.malformed("Opus PES without control header");
                return;
            }
            int flags = data[pos + 1] & 0xFF;
            pos += 2;
            int size = 0;
            int b;
            do {
                if (pos >= to) {
                    sink.malformed("Opus control header truncated");
                    return;
                }
                b = data[pos++] & 0xFF;
                size += b;
            } while (b == 0xFF);
            pos += ((flags & 0x10) != 0 ? 2 : 0) + ((flags & 0x08) != 0 ? 2 : 0);
            if ((flags & 0x04) != 0) {
                pos += pos < to ? 1 + (data[pos] & 0xFF) : 1;
            }
            if (size == 0 || size > to - pos) {
                sink.malformed("Opus access unit of " + size + " bytes does not fit its PES");
                return;
            }
            long framePts = pts + samples * TsPackets.TIMESCALE / OPUS_RATE;
            ByteBuf out = sink.alloc().buffer(size);
            out.writeBytes(data, pos, size);
            sink.packet(MediaPacket.of(track, framePts, framePts, true, ByteBufPayload.of(out)));
            samples += duration(data, pos, size);
            pos += size;
        }
    }

    /**
     * @return the samples at 48 kHz of an Opus packet from its TOC byte (RFC 6716 3.1)
     */
    static int duration(byte[] data, int offset, int length) {
        int toc = data[offset] & 0xFF;
        int config = toc >> 3;
        int frame; // in units of 2.5 ms = 120 samples
        if (config < 12) {
            frame = new int[]{4, 8, 16, 24}[config & 3];
        } else if (config < 16) {
            frame = (config & 1) == 0 ? 4 : 8;
        } else {
            frame = new int[]{1, 2, 4, 8}[config & 3];
        }
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> length > 1 ? data[offset + 1] & 0x3F : 0;
        };
        return frame * 120 * frames;
    }
}
