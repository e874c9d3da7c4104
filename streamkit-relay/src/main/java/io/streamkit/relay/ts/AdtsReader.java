package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AdtsHeader;
import io.streamkit.relay.internal.ByteBufPayload;

/**
 * AAC in ADTS (stream type 0x0F): one packet per frame with the header stripped; the
 * AudioSpecificConfig is built from the header and re-announced when it changes.
 */
final class AdtsReader extends FramedAudioReader {
    private TrackInfo track;
    private int configKey = -1;

    AdtsReader(int trackId, Sink sink) {
        super(trackId, sink, AdtsHeader.MAX_FRAME_LENGTH);
    }

    @Override
    TrackInfo track() {
        return track;
    }

    @Override
    int sampleRate() {
        return track == null ? 0 : track.sampleRate();
    }

    @Override
    int frameLength(byte[] data, int offset, int available) {
        if (available < AdtsHeader.LENGTH) {
            return 0;
        }
        AdtsHeader header = AdtsHeader.parse(data, offset, available);
        return header == null ? -1 : header.frameLength();
    }

    @Override
    int frame(byte[] data, int offset, int length, long pts) {
        AdtsHeader header = AdtsHeader.parse(data, offset, length);
        int key = (header.objectType() << 8) | (header.sampleRateIndex() << 4) | header.channelConfig();
        if (key != configKey) {
            configKey = key;
            track = TrackInfo.builder(trackId, Codec.AAC).timescale(TsPackets.TIMESCALE).config(CodecConfig.of(
                    header.audioSpecificConfig())).audio(header.sampleRate(), header.channels()).build();
            sink.tracksChanged();
        }
        ByteBuf out = sink.alloc().buffer(header.rawLength());
        out.writeBytes(data, offset + header.headerLength(), header.rawLength());
        sink.packet(MediaPacket.of(track, pts, pts, true, ByteBufPayload.of(out)));
        return AdtsHeader.SAMPLES_PER_FRAME;
    }
}
