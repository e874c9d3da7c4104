package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.ByteBufPayload;

/**
 * MPEG-1/2/2.5 Layer III audio (stream types 0x03 and 0x04): one packet per frame, header
 * included. Frames of layers I and II are skipped as unsupported; free-format frames cannot be
 * delimited and are skipped too.
 */
final class Mp3Reader extends FramedAudioReader {
    /** The longest Layer III frame: 144 * 320 kbit/s / 32 kHz + padding, rounded up. */
    private static final int MAX_FRAME = 1441 + 4;
    private static final int HEADER = 4;
    private static final int[] BITRATES_V1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] BITRATES_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[] RATES_V1 = {44100, 48000, 32000};

    private TrackInfo track;

    Mp3Reader(int trackId, Sink sink) {
        super(trackId, sink, MAX_FRAME);
    }

    @Override
    TrackInfo track() {
        return track;
    }

    @Override
    int sampleRate() {
        return track == null ? 0 : track.sampleRate();
    }

    /** @return the version id: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5 */
    private static int version(byte[] data, int offset) {
        return (data[offset + 1] >> 3) & 3;
    }

    private static int rate(byte[] data, int offset) {
        int base = RATES_V1[((data[offset + 2] & 0xFF) >> 2) & 3];
        return switch (version(data, offset)) {
            case 3 -> base;
            case 2 -> base / 2;
            default -> base / 4;
        };
    }

    @Override
    int frameLength(byte[] data, int offset, int available) {
        if (available < HEADER) {
            return 0;
        }
        int b1 = data[offset + 1] & 0xFF;
        int b2 = data[offset + 2] & 0xFF;
        int version = (b1 >> 3) & 3;
        int layer = (b1 >> 1) & 3;
        int bitrateIndex = b2 >> 4;
        if ((data[offset] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0 || version == 1 || layer != 1
                || bitrateIndex == 0 || bitrateIndex == 15 || ((b2 >> 2) & 3) == 3) {
            return -1;
        }
        int bitrate = (version == 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] * 1000;
        int padding = (b2 >> 1) & 1;
        return (version == 3 ? 144 : 72) * bitrate / rate(data, offset) + padding;
    }

    @Override
    int frame(byte[] data, int offset, int length, long pts) {
        int rate = rate(data, offset);
        int channels = ((data[offset + 3] & 0xFF) >> 6) == 3 ? 1 : 2;
        if (track == null || track.sampleRate() != rate || track.channels() != channels) {
            track = TrackInfo.builder(trackId, Codec.MP3).timescale(TsPackets.TIMESCALE).audio(rate, channels)
                    .build();
            sink.tracksChanged();
        }
        ByteBuf out = sink.alloc().buffer(length);
        out.writeBytes(data, offset, length);
        sink.packet(MediaPacket.of(track, pts, pts, true, ByteBufPayload.of(out)));
        return version(data, offset) == 3 ? 1152 : 576;
    }
}
