package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import io.streamkit.relay.internal.HevcConfig;
import io.streamkit.relay.internal.NalUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.264 and H.265 access units: one PES payload in Annex B form becomes one packet of
 * 4-byte-length-prefixed NAL units. Access unit delimiters are dropped; parameter sets (VPS, SPS,
 * PPS) are taken out of band into the {@code avcC}/{@code hvcC} configuration, which is rebuilt
 * and re-announced whenever they change. An access unit is a keyframe when it holds an IDR slice
 * (H.264) or an IRAP picture (H.265). Access units before the first complete set of parameter
 * sets are dropped.
 */
final class AnnexBReader extends EsReader {
    /** At most this many distinct parameter sets of one kind are kept. */
    private static final int MAX_SETS = 16;

    private final boolean hevc;
    private List<byte[]> vps = List.of();
    private List<byte[]> sps = List.of();
    private List<byte[]> pps = List.of();
    private TrackInfo track;
    private int[] nals = new int[64]; // offset, length pairs
    private int nalCount;

    AnnexBReader(Codec codec, int trackId, Sink sink) {
        super(trackId, sink);
        this.hevc = codec == Codec.H265;
    }

    @Override
    TrackInfo track() {
        return track;
    }

    @Override
    void pes(byte[] data, int from, int to, long dts, long pts) {
        if (pts == NO_TIMESTAMP) {
            sink.malformed((hevc ? "H.265" : "H.264") + " PES without PTS");
            return;
        }
        nalCount = 0;
        if (NalUnits.annexB(data, from, to, this::addNal) == 0) {
            sink.malformed((hevc ? "H.265" : "H.264") + " PES without NAL units");
            return;
        }
        boolean keyframe = false;
        int size = 0;
        List<byte[]> newVps = new ArrayList<>(0);
        List<byte[]> newSps = new ArrayList<>(0);
        List<byte[]> newPps = new ArrayList<>(0);
        for (int i = 0; i < nalCount; i++) {
            int offset = nals[2 * i];
            int length = nals[2 * i + 1];
            int kind = classify(data[offset], length);
            switch (kind) {
                case KIND_DROP -> {
                    // access unit delimiter
                }
                case KIND_VPS -> newVps.add(Arrays.copyOfRange(data, offset, offset + length));
                case KIND_SPS -> newSps.add(Arrays.copyOfRange(data, offset, offset + length));
                case KIND_PPS -> newPps.add(Arrays.copyOfRange(data, offset, offset + length));
                default -> {
                    keyframe |= kind == KIND_KEY;
                    size += 4 + length;
                }
            }
            if (kind < 0) {
                nals[2 * i + 1] = 0; // not part of the payload
            }
        }
        if (!newVps.isEmpty() || !newSps.isEmpty() || !newPps.isEmpty()) {
            updateConfig(newVps, newSps, newPps);
        }
        if (size == 0) {
            return;
        }
        if (track == null) {
            sink.droppedBeforeConfig();
            return;
        }
        ByteBuf out = sink.alloc().buffer(size);
        for (int i = 0; i < nalCount; i++) {
            int length = nals[2 * i + 1];
            if (length > 0) {
                out.writeInt(length);
                out.writeBytes(data, nals[2 * i], length);
            }
        }
        sink.packet(MediaPacket.of(track, dts, pts, keyframe, ByteBufPayload.of(out)));
    }

    private static final int KIND_DROP = -1;
    private static final int KIND_VPS = -2;
    private static final int KIND_SPS = -3;
    private static final int KIND_PPS = -4;
    private static final int KIND_KEY = 1;
    private static final int KIND_OTHER = 0;

    private int classify(byte header, int length) {
        if (hevc) {
            if (length < 2) {
                return KIND_DROP;
            }
            int type = NalUnits.h265Type(header);
            return switch (type) {
                case NalUnits.H265_AUD -> KIND_DROP;
                case NalUnits.H265_VPS -> KIND_VPS;
                case NalUnits.H265_SPS -> KIND_SPS;
                case NalUnits.H265_PPS -> KIND_PPS;
                default -> type >= NalUnits.H265_IRAP_FIRST && type <= NalUnits.H265_IRAP_LAST ? KIND_KEY : KIND_OTHER;
            };
        }
        return switch (NalUnits.h264Type(header)) {
            case NalUnits.H264_AUD -> KIND_DROP;
            case NalUnits.H264_SPS -> KIND_SPS;
            case NalUnits.H264_PPS -> KIND_PPS;
            case NalUnits.H264_IDR -> KIND_KEY;
            default -> KIND_OTHER;
        };
    }

    private void addNal(int offset, int length) {
        if (2 * nalCount + 2 > nals.length) {
            nals = Arrays.copyOf(nals, nals.length * 2);
        }
        nals[2 * nalCount] = offset;
        nals[2 * nalCount + 1] = length;
        nalCount++;
    }

    /**
     * A complete set in one access unit replaces the configuration; a partial one adds the sets
     * not yet known.
     */
    private void updateConfig(List<byte[]> newVps, List<byte[]> newSps, List<byte[]> newPps) {
        boolean complete = !newSps.isEmpty() && !newPps.isEmpty() && (!hevc || !newVps.isEmpty());
        List<byte[]> v = complete ? newVps : merge(vps, newVps);
        List<byte[]> s = complete ? newSps : merge(sps, newSps);
        List<byte[]> p = complete ? newPps : merge(pps, newPps);
        v = v.subList(0, Math.min(v.size(), MAX_SETS));
        s = s.subList(0, Math.min(s.size(), MAX_SETS));
        p = p.subList(0, Math.min(p.size(), MAX_SETS));
        if (track != null && same(v, vps) && same(s, sps) && same(p, pps)) {
            return;
        }
        vps = List.copyOf(v);
        sps = List.copyOf(s);
        pps = List.copyOf(p);
        if (sps.isEmpty() || pps.isEmpty() || (hevc && vps.isEmpty())) {
            return;
        }
        try {
            AvcConfig.Dimensions d = hevc
                    ? HevcConfig.spsDimensions(sps.get(0))
                    : AvcConfig.spsDimensions(sps.get(
                            0));
            byte[] config = hevc ? NalUnits.hvcC(vps, sps, pps) : NalUnits.avcC(sps, pps);
            TrackInfo updated = TrackInfo.builder(trackId, hevc ? Codec.H265 : Codec.H264).timescale(
                    TsPackets.TIMESCALE).config(CodecConfig.of(config)).dimensions(d.width(), d.height()).build();
            if (!updated.equals(track)) {
                track = updated;
                sink.tracksChanged();
            }
        } catch (CodecException e) {
            sink.malformed(e.getMessage());
        }
    }

    private static List<byte[]> merge(List<byte[]> known, List<byte[]> added) {
        if (added.isEmpty()) {
            return known;
        }
        List<byte[]> out = new ArrayList<>(known);
        for (byte[] set : added) {
            if (out.stream().noneMatch(k -> Arrays.equals(k, set))) {
                out.add(set);
            }
        }
        return out;
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
