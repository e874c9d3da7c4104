package io.streamkit.relay.record;

import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.NalUnits;
import io.streamkit.relay.ts.TsDemuxer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Synthetic H.264 + AAC packets for the recording tests, and a TS file reader built on {@link TsDemuxer}. */
final class TestMedia {
    static final byte[] SPS_1280X720 = HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960");
    static final byte[] PPS = HexFormat.of().parseHex("68ebe3cb22c0");

    private TestMedia() {
    }

    static TrackInfo h264(int id, int timescale) {
        return TrackInfo.builder(id, Codec.H264).timescale(timescale).config(CodecConfig.of(NalUnits.avcC(List.of(
                SPS_1280X720), List.of(PPS)))).dimensions(1280, 720).build();
    }

    static TrackInfo aac(int id, int timescale) {
        return TrackInfo.builder(id, Codec.AAC).timescale(timescale).config(CodecConfig.of(AacConfig.build(2, 48000,
                2))).audio(48000, 2).build();
    }

    /** @return one or two length-prefixed NAL units (an IDR slice first for a keyframe), no zero bytes */
    static byte[] accessUnit(Random random, boolean keyframe, int maxLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            int type = keyframe && i == 0 ? NalUnits.H264_IDR : 1;
            byte[] nal = new byte[2 + random.nextInt(maxLength)];
            nal[0] = (byte) (0x60 | type);
            for (int j = 1; j < nal.length; j++) {
                nal[j] = (byte) (4 + random.nextInt(252));
            }
            out.writeBytes(new byte[]{(byte) (nal.length >>> 24), (byte) (nal.length >>> 16), (byte) (nal.length >>> 8),
                    (byte) nal.length});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    static MediaPacket video(TrackInfo track, long dts, long pts, boolean keyframe, byte[] payload) {
        return MediaPacket.of(track, dts, pts, keyframe, io.streamkit.api.Payload.wrap(payload));
    }

    static MediaPacket audio(TrackInfo track, long dts, byte[] payload) {
        return MediaPacket.of(track, dts, dts, true, io.streamkit.api.Payload.wrap(payload));
    }

    /** One demuxed packet, copied so that the packet itself can be released. */
    record Frame(MediaType type, long dts, long pts, boolean keyframe, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.type == type && f.dts == dts && f.pts == pts && f.keyframe == keyframe
                    && java.util.Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dts);
        }

        @Override
        public String toString() {
            return "Frame[" + type + " dts=" + dts + " pts=" + pts + (keyframe ? " key" : "") + " " + payload.length
                    + " bytes]";
        }
    }

    /** What a TS file holds. */
    record Demuxed(List<TrackInfo> tracks, List<Frame> frames, long errors) {
        List<Frame> of(MediaType type) {
            return frames.stream().filter(f -> f.type() == type).toList();
        }
    }

    static Demuxed demux(byte[] ts) {
        List<Frame> frames = new ArrayList<>();
        List<List<TrackInfo>> tracks = new ArrayList<>();
        TsDemuxer demuxer = new TsDemuxer(new TsDemuxer.Listener() {
            @Override
            public void onTracks(List<TrackInfo> t) {
                tracks.add(t);
            }

            @Override
            public void onPacket(MediaPacket p) {
                try {
                    frames.add(new Frame(p.mediaType(), p.dts(), p.pts(), p.isKeyframe(), p.payload().toByteArray()));
                } finally {
                    p.release();
                }
            }
        });
        var buf = Unpooled.wrappedBuffer(ts);
        try {
            demuxer.feed(buf);
        } finally {
            buf.release();
        }
        demuxer.flush();
        return new Demuxed(tracks.isEmpty() ? List.of() : tracks.get(tracks.size() - 1), frames, demuxer
                .continuityErrors() + demuxer.syncLosses() + demuxer.pesErrors() + demuxer.psiErrors());
    }

    static Demuxed demux(Path file) {
        try {
            return demux(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int pid(byte[] ts, int packet) {
        return ((ts[packet * 188 + 1] & 0x1F) << 8) | (ts[packet * 188 + 2] & 0xFF);
    }
}
