package io.streamkit.relay.ts;

import static io.streamkit.relay.ts.TsPackets.SIZE;
import static io.streamkit.relay.ts.TsPackets.SYNC;
import static io.streamkit.relay.ts.TsPackets.TIMESCALE;
import static io.streamkit.relay.ts.TsPackets.TIMESTAMP_MASK;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AdtsHeader;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import io.streamkit.relay.internal.NalUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link MediaPacket}s of one stream as an MPEG-2 transport stream of one program.
 *
 * <p>Each track of a supported codec gets an elementary stream: H.264 (stream type 0x1B), H.265
 * (0x24), AAC as ADTS (0x0F), MP3 (0x03, or 0x04 below 32 kHz) and Opus (private PES 0x06 with
 * the {@code 'Opus'} registration descriptor, mono or stereo). PIDs are 0x100 upwards in track
 * order and stay with their track id across {@link #updateTracks(List)}; the PMT is on PID 0x1000,
 * program number 1. Other tracks' packets are dropped and counted ({@link #droppedPackets()}).
 *
 * <p>PAT and PMT are written first, then at least every 100 ms of stream time and before every
 * video keyframe. The PCR is carried on the first video PID (else the first audio PID), in every
 * PES of that PID and in an extra adaptation-field-only packet when another PID's packets would
 * leave more than 40 ms without one; it runs 200 ms behind the DTS (not below 0), never backwards. Each packet
 * becomes one PES with its PTS (and DTS when different), both converted to 90 kHz; the timestamps
 * are written modulo 2^33. H.264/H.265 access units are converted to Annex B with an access unit
 * delimiter, and keyframes without in-band SPS get the configuration's parameter sets in front;
 * AAC frames get an ADTS header derived from the AudioSpecificConfig; Opus packets an
 * {@code opus_control_header}. The last TS packet of a PES is filled with adaptation field
 * stuffing.
 *
 * <p>Buffers: {@link #write(MediaPacket)} neither releases nor retains the packet and hands the
 * {@link Output} one new buffer of whole 188-byte packets per call, whose reference passes to the
 * output. A packet that cannot be written (unknown track, malformed payload, unusable
 * configuration) is dropped, counted and logged at debug level; nothing is thrown.
 *
 * <p>Not thread-safe: one instance per outgoing stream, called from one thread at a time.
 */
public final class TsMuxer {
    /** Receives the transport stream. */
    @FunctionalInterface
    public interface Output {
        /**
         * @param chunk whole 188-byte packets; the output takes over the reference and must
         *        release it
         */
        void write(ByteBuf chunk);
    }

    /** PID of the program map table. */
    public static final int PMT_PID = 0x1000;
    /** PID of the first elementary stream. */
    public static final int FIRST_ES_PID = 0x100;

    private static final Logger log = LoggerFactory.getLogger(TsMuxer.class);
    private static final int PROGRAM_NUMBER = 1;
    private static final long PSI_INTERVAL = TIMESCALE / 10;
    private static final long PCR_INTERVAL = TIMESCALE * 40L / 1000;
    private static final long PCR_DELAY = TIMESCALE / 5;
    private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    private static final byte[] H265_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final int START_CODE_LENGTH = 4;
    /** Keeps the PMT within one packet. */
    private static final int MAX_STREAMS = 16;

    private final ByteBufAllocator alloc;
    private final Output output;
    private Map<Integer, EsWriter> streams = new LinkedHashMap<>();
    private int nextPid = FIRST_ES_PID;
    private int pcrPid = TsPackets.NULL_PID;
    private int version = -1;
    private int patCc;
    private int pmtCc;
    private boolean psiPending = true;
    private long lastPsiDts;
    private boolean havePcr;
    private long lastPcr;
    private long lastPcrSource;
    private long dropped;

    /** One elementary stream being written. */
    private static final class EsWriter {
        final TrackInfo track;
        final int pid;
        final int streamType;
        final int streamId;
        final byte[] descriptors;
        /** Video: the configuration's parameter sets, in order. */
        final List<byte[]> parameterSets;
        /** AAC: the ADTS fields, or {@code null} when the configuration cannot be written as ADTS. */
        final AdtsHeader adts;
        final String problem;
        int cc;

        EsWriter(TrackInfo track, int pid, int streamType, int streamId, byte[] descriptors,
                List<byte[]> parameterSets, AdtsHeader adts, String problem) {
            this.track = track;
            this.pid = pid;
            this.streamType = streamType;
            this.streamId = streamId;
            this.descriptors = descriptors;
            this.parameterSets = parameterSets;
            this.adts = adts;
            this.problem = problem;
        }

        boolean sameLayout(EsWriter o) {
            return o != null && pid == o.pid && streamType == o.streamType && Arrays.equals(descriptors,
                    o.descriptors);
        }
    }

    /**
     * Creates a muxer that allocates from {@link ByteBufAllocator#DEFAULT}.
     *
     * @param tracks the tracks of the stream
     * @param output receives the transport stream
     */
    public TsMuxer(List<TrackInfo> tracks, Output output) {
        this(ByteBufAllocator.DEFAULT, tracks, output);
    }

    /**
     * @param alloc allocates the output buffers
     * @param tracks the tracks of the stream
     * @param output receives the transport stream
     */
    public TsMuxer(ByteBufAllocator alloc, List<TrackInfo> tracks, Output output) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.output = Objects.requireNonNull(output, "output");
        updateTracks(tracks);
    }

    /**
     * Replaces the set of tracks or their configurations. A changed stream layout gets a new PMT
     * version; PAT and PMT are repeated before the next packet either way.
     *
     * @param tracks the tracks of the stream
     */
    public void updateTracks(List<TrackInfo> tracks) {
        Map<Integer, EsWriter> next = new LinkedHashMap<>();
        for (TrackInfo t : List.copyOf(tracks)) {
            EsWriter old = streams.get(t.id());
            if (next.size() >= MAX_STREAMS) {
                log.debug("MPEG-TS muxer: more than {} tracks, track {} is dropped", MAX_STREAMS, t.id());
                continue;
            }
            EsWriter s = newWriter(t, old != null ? old.pid : -1);
            if (s == null) {
                log.debug("MPEG-TS muxer: {} track {} is not supported, its packets are dropped", t.codec(), t.id());
                continue;
            }
            if (old != null) {
                s.cc = old.cc;
            }
            next.put(t.id(), s);
        }
        boolean changed = next.size() != streams.size() || version < 0;
        for (Map.Entry<Integer, EsWriter> e : next.entrySet()) {
            changed |= !e.getValue().sameLayout(streams.get(e.getKey()));
        }
        streams = next;
        int pcr = TsPackets.NULL_PID;
        for (EsWriter s : next.values()) {
            if (s.track.mediaType() == MediaType.VIDEO) {
                pcr = s.pid;
                break;
            }
            if (pcr == TsPackets.NULL_PID) {
                pcr = s.pid;
            }
        }
        changed |= pcr != pcrPid;
        pcrPid = pcr;
        if (changed) {
            version = (version + 1) & 0x1F;
        }
        psiPending = true;
    }

    private EsWriter newWriter(TrackInfo t, int oldPid) {
        int streamType;
        int streamId = 0xC0;
        byte[] descriptors = new byte[0];
        List<byte[]> parameterSets = List.of();
        AdtsHeader adts = null;
        String problem = null;
        CodecConfig config = t.config();
        switch (t.codec()) {
            case H264, H265 -> {
                streamType = t.codec() == Codec.H264 ? TsPackets.STREAM_TYPE_H264 : TsPackets.STREAM_TYPE_H265;
                streamId = 0xE0;
                if (!config.isEmpty()) {
                    try {
                        if (t.codec() == Codec.H264) {
                            AvcConfig avc = AvcConfig.parse(config.toByteArray());
                            List<byte[]> sets = new ArrayList<>(avc.sps());
                            sets.addAll(avc.pps());
                            parameterSets = List.copyOf(sets);
                        } else {
                            parameterSets = List.copyOf(NalUnits.hvcCNalUnits(config.toByteArray()));
                        }
                    } catch (CodecException e) {
                        log.debug("MPEG-TS muxer: track {} has a malformed configuration: {}", t.id(), e.getMessage());
                    }
                }
            }
            case AAC -> {
                streamType = TsPackets.STREAM_TYPE_AAC_ADTS;
                try {
                    adts = AdtsHeader.fromAudioSpecificConfig(config.toByteArray(), 0);
                } catch (CodecException e) {
                    problem = "AAC configuration unusable for ADTS: " + e.getMessage();
                }
            }
            case MP3 -> streamType = t.sampleRate() > 0 && t.sampleRate() < 32000
                    ? TsPackets.STREAM_TYPE_MPEG2_AUDIO
                    : TsPackets.STREAM_TYPE_MPEG1_AUDIO;
            case OPUS -> {
                int channels = opusChannels(t);
                if (channels != 1 && channels != 2) {
                    return null;
                }
                streamType = TsPackets.STREAM_TYPE_PRIVATE_PES;
                streamId = 0xBD;
                descriptors = new byte[]{TsPackets.DESCRIPTOR_REGISTRATION, 4, 'O', 'p', 'u', 's',
                        TsPackets.DESCRIPTOR_EXTENSION, 2, (byte) TsPackets.EXTENSION_OPUS, (byte) channels};
            }
            default -> {
                return null;
            }
        }
        int pid = oldPid;
        if (pid < 0) {
            if (nextPid >= TsPackets.NULL_PID) {
                return null;
            }
            pid = nextPid++;
            if (pid == PMT_PID) {
                pid = nextPid++;
            }
        }
        return new EsWriter(t, pid, streamType, streamId, descriptors, parameterSets, adts, problem);
    }

    private static int opusChannels(TrackInfo t) {
        CodecConfig c = t.config();
        if (c.length() >= 19 && c.unsignedByte(0) == 'O' && c.unsignedByte(4) == 'H') {
            return c.unsignedByte(9);
        }
        return t.channels();
    }

    /** @return packets dropped: unknown or unsupported track, malformed payload or configuration */
    public long droppedPackets() {
        return dropped;
    }

    /**
     * Writes one packet as a PES, preceded by PAT/PMT and a PCR packet when due.
     *
     * @param packet the packet; neither released nor retained
     */
    public void write(MediaPacket packet) {
        EsWriter s = streams.get(packet.trackId());
        if (s == null) {
            drop("no supported track with id " + packet.trackId());
            return;
        }
        ByteBuf es;
        try {
            es = elementaryStream(s, packet);
        } catch (CodecException e) {
            drop(e.getMessage());
            return;
        }
        long dts = MediaPacket.rescale(packet.dts(), packet.timescale(), TIMESCALE);
        long pts = MediaPacket.rescale(packet.pts(), packet.timescale(), TIMESCALE);
        boolean video = s.track.mediaType() == MediaType.VIDEO;
        boolean keyframe = video && packet.isKeyframe();
        int pesHeader = pts != dts ? 19 : 14;
        if (!video && pesHeader - 6 + es.readableBytes() > 0xFFFF) {
            es.release();
            drop("audio frame of " + es.readableBytes() + " bytes is too long for a PES");
            return;
        }
        ByteBuf out = alloc.buffer(SIZE * (4 + (pesHeader + es.readableBytes()) / 184));
        try {
            if (psiPending || keyframe || Math.abs(dts - lastPsiDts) >= PSI_INTERVAL) {
                writePat(out);
                writePmt(out);
                lastPsiDts = dts;
                psiPending = false;
            }
            long pcr = -1;
            if (s.pid == pcrPid) {
                pcr = nextPcr(dts);
            } else if (!havePcr || dts - lastPcrSource >= PCR_INTERVAL || lastPcrSource - dts > TIMESCALE) {
                EsWriter pcrStream = stream(pcrPid);
                if (pcrStream != null) {
                    header(out, pcrPid, false, pcrStream.cc, nextPcr(dts), false, 0);
                }
            }
            writePes(out, s, es, dts, pts, keyframe, pcr, video);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            es.release();
        }
        output.write(out);
    }

    private EsWriter stream(int pid) {
        for (EsWriter s : streams.values()) {
            if (s.pid == pid) {
                return s;
            }
        }
        return null;
    }

    private void drop(String why) {
        dropped++;
        log.debug("MPEG-TS muxer dropped a packet: {}", why);
    }

    /** @return the next PCR base: 200 ms behind the DTS (but not below 0), never backwards except on a jump */
    private long nextPcr(long dts) {
        long pcr = dts - PCR_DELAY;
        if (pcr < 0 && dts >= 0) {
            pcr = 0; // a stream starting at 0 should not start with a PCR wrap
        }
        if (havePcr && pcr < lastPcr && lastPcr - pcr < TIMESCALE * 10L) {
            pcr = lastPcr;
        }
        havePcr = true;
        lastPcr = pcr;
        lastPcrSource = dts;
        return pcr & TIMESTAMP_MASK;
    }

    // ---- elementary streams ----

    private ByteBuf elementaryStream(EsWriter s, MediaPacket packet) {
        if (s.problem != null) {
            throw new CodecException(s.problem);
        }
        ByteBuf in = ByteBufPayload.toByteBuf(packet.payload());
        try {
            switch (s.track.codec()) {
                case H264, H265 -> {
                    return annexB(s, in, packet.isKeyframe());
                }
                case AAC -> {
                    AdtsHeader t = s.adts;
                    int length = in.readableBytes();
                    if (length > AdtsHeader.MAX_FRAME_LENGTH - AdtsHeader.LENGTH) {
                        throw new CodecException("AAC frame of " + length + " bytes is too long for ADTS");
                    }
                    ByteBuf es = alloc.buffer(AdtsHeader.LENGTH + length);
                    new AdtsHeader(t.objectType(), t.sampleRateIndex(), t.channelConfig(), AdtsHeader.LENGTH + length,
                            false).write(es);
                    return es.writeBytes(in, in.readerIndex(), length);
                }
                case OPUS -> {
                    int length = in.readableBytes();
                    if (length == 0) {
                        throw new CodecException("empty Opus packet");
                    }
                    ByteBuf es = alloc.buffer(3 + length / 255 + length);
                    es.writeByte(0x7F).writeByte(0xE0);
                    for (int n = length; n >= 0; n -= 255) {
                        es.writeByte(Math.min(n, 255));
                        if (n < 255) {
                            break;
                        }
                    }
                    return es.writeBytes(in, in.readerIndex(), length);
                }
                default -> {
                    return in.retainedSlice();
                }
            }
        } finally {
            in.release();
        }
    }

    private ByteBuf annexB(EsWriter s, ByteBuf in, boolean keyframe) {
        boolean hevc = s.track.codec() == Codec.H265;
        int from = in.readerIndex();
        int to = in.writerIndex();
        if (!NalUnits.isLengthPrefixed(in, from, to)) {
            throw new CodecException(s.track.codec() + " payload is not 4-byte-length-prefixed NAL units");
        }
        byte[] aud = hevc ? H265_AUD : H264_AUD;
        int size = aud.length;
        int units = 0;
        boolean inBandSps = false;
        for (int pos = from; pos < to;) {
            int length = in.getInt(pos);
            if (length > 0) {
                int header = in.getUnsignedByte(pos + 4);
                int type = hevc ? NalUnits.h265Type(header) : NalUnits.h264Type(header);
                if (type != (hevc ? NalUnits.H265_AUD : NalUnits.H264_AUD)) {
                    size += START_CODE_LENGTH + length;
                    units++;
                }
                inBandSps |= type == (hevc ? NalUnits.H265_SPS : NalUnits.H264_SPS);
            }
            pos += 4 + length;
        }
        if (units == 0) {
            throw new CodecException(s.track.codec() + " access unit without NAL units");
        }
        boolean prepend = keyframe && !inBandSps;
        if (prepend) {
            for (byte[] set : s.parameterSets) {
                size += START_CODE_LENGTH + set.length;
            }
        }
        ByteBuf es = alloc.buffer(size);
        es.writeBytes(aud);
        if (prepend) {
            for (byte[] set : s.parameterSets) {
                es.writeInt(1).writeBytes(set);
            }
        }
        for (int pos = from; pos < to;) {
            int length = in.getInt(pos);
            if (length > 0) {
                int header = in.getUnsignedByte(pos + 4);
                int type = hevc ? NalUnits.h265Type(header) : NalUnits.h264Type(header);
                if (type != (hevc ? NalUnits.H265_AUD : NalUnits.H264_AUD)) {
                    es.writeInt(1).writeBytes(in, pos + 4, length);
                }
            }
            pos += 4 + length;
        }
        return es;
    }

    // ---- transport stream packets ----

    private void writePes(ByteBuf out, EsWriter s, ByteBuf es, long dts, long pts, boolean keyframe, long pcr,
            boolean video) {
        boolean withDts = pts != dts;
        byte[] h = new byte[withDts ? 19 : 14];
        h[2] = 1;
        h[3] = (byte) s.streamId;
        int pesLength = h.length - 6 + es.readableBytes();
        if (pesLength > 0xFFFF) {
            pesLength = 0; // unbounded, allowed for video only (checked by the caller)
        }
        h[4] = (byte) (pesLength >> 8);
        h[5] = (byte) pesLength;
        h[6] = (byte) (video ? 0x84 : 0x80); // '10', data_alignment_indicator for video
        h[7] = (byte) (withDts ? 0xC0 : 0x80);
        h[8] = (byte) (h.length - 9);
        putTimestamp(h, 9, withDts ? 3 : 2, pts);
        if (withDts) {
            putTimestamp(h, 14, 1, dts);
        }
        int headerPos = 0;
        int remaining = h.length + es.readableBytes();
        boolean first = true;
        while (remaining > 0) {
            int n = header(out, s.pid, first, s.cc, first ? pcr : -1, first && keyframe, remaining);
            s.cc = (s.cc + 1) & 0x0F;
            int fromHeader = Math.min(n, h.length - headerPos);
            out.writeBytes(h, headerPos, fromHeader);
            headerPos += fromHeader;
            out.writeBytes(es, n - fromHeader);
            remaining -= n;
            first = false;
        }
    }

    private static void putTimestamp(byte[] h, int i, int prefix, long ts) {
        long t = ts & TIMESTAMP_MASK;
        h[i] = (byte) ((prefix << 4) | ((t >> 29) & 0x0E) | 1);
        h[i + 1] = (byte) (t >> 22);
        h[i + 2] = (byte) (((t >> 14) & 0xFE) | 1);
        h[i + 3] = (byte) (t >> 7);
        h[i + 4] = (byte) (((t << 1) & 0xFE) | 1);
    }

    /**
     * Writes a packet header and adaptation field.
     *
     * @param pcr the PCR base to write, or -1
     * @param available payload bytes that could follow; 0 for an adaptation-field-only packet
     * @return the payload bytes the caller must write next to complete the packet
     */
    private static int header(ByteBuf out, int pid, boolean unitStart, int cc, long pcr, boolean randomAccess,
            int available) {
        boolean adaptation = pcr >= 0 || randomAccess;
        int body = adaptation ? 1 + (pcr >= 0 ? 6 : 0) : 0; // adaptation field bytes after its length byte
        int payload;
        if (available == 0) {
            adaptation = true;
            body = 183;
            payload = 0;
        } else {
            int room = 184 - (adaptation ? 1 + body : 0);
            payload = Math.min(available, room);
            int stuffing = room - payload;
            if (stuffing > 0) {
                body += adaptation ? stuffing : stuffing - 1;
                adaptation = true;
            }
        }
        out.writeByte(SYNC);
        out.writeByte((unitStart ? 0x40 : 0) | (pid >> 8));
        out.writeByte(pid);
        out.writeByte((adaptation ? 0x20 : 0) | (payload > 0 ? 0x10 : 0) | cc);
        if (adaptation) {
            out.writeByte(body);
            if (body > 0) {
                out.writeByte((randomAccess ? 0x40 : 0) | (pcr >= 0 ? 0x10 : 0));
                int written = 1;
                if (pcr >= 0) {
                    out.writeInt((int) (pcr >>> 1));
                    out.writeByte((int) ((pcr & 1) << 7) | 0x7E);
                    out.writeByte(0);
                    written += 6;
                }
                for (int i = written; i < body; i++) {
                    out.writeByte(0xFF);
                }
            }
        }
        return payload;
    }

    private void writePat(ByteBuf out) {
        byte[] section = {TsPackets.TABLE_PAT, (byte) 0xB0, 13, 0, 1, (byte) 0xC1, 0, 0, 0, PROGRAM_NUMBER,
                (byte) (0xE0 | (PMT_PID >> 8)), (byte) PMT_PID, 0, 0, 0, 0};
        psiPacket(out, TsPackets.PAT_PID, patCc, section);
        patCc = (patCc + 1) & 0x0F;
    }

    private void writePmt(ByteBuf out) {
        int length = 13;
        for (EsWriter s : streams.values()) {
            length += 5 + s.descriptors.length;
        }
        byte[] section = new byte[3 + length];
        section[0] = TsPackets.TABLE_PMT;
        section[1] = (byte) (0xB0 | (length >> 8));
        section[2] = (byte) length;
        section[3] = 0;
        section[4] = PROGRAM_NUMBER;
        section[5] = (byte) (0xC1 | (version << 1));
        section[8] = (byte) (0xE0 | (pcrPid >> 8));
        section[9] = (byte) pcrPid;
        section[10] = (byte) 0xF0;
        section[11] = 0;
        int pos = 12;
        for (EsWriter s : streams.values()) {
            section[pos] = (byte) s.streamType;
            section[pos + 1] = (byte) (0xE0 | (s.pid >> 8));
            section[pos + 2] = (byte) s.pid;
            section[pos + 3] = (byte) (0xF0 | (s.descriptors.length >> 8));
            section[pos + 4] = (byte) s.descriptors.length;
            System.arraycopy(s.descriptors, 0, section, pos + 5, s.descriptors.length);
            pos += 5 + s.descriptors.length;
        }
        psiPacket(out, PMT_PID, pmtCc, section);
        pmtCc = (pmtCc + 1) & 0x0F;
    }

    /** Writes a section (its last 4 bytes are replaced by the CRC) into one packet. */
    private static void psiPacket(ByteBuf out, int pid, int cc, byte[] section) {
        int crc = TsPackets.crc32(section, 0, section.length - 4);
        section[section.length - 4] = (byte) (crc >>> 24);
        section[section.length - 3] = (byte) (crc >>> 16);
        section[section.length - 2] = (byte) (crc >>> 8);
        section[section.length - 1] = (byte) crc;
        if (section.length > 183) {
            throw new IllegalStateException("PSI section of " + section.length + " bytes does not fit a packet");
        }
        out.writeByte(SYNC);
        out.writeByte(0x40 | (pid >> 8));
        out.writeByte(pid);
        out.writeByte(0x10 | cc);
        out.writeByte(0); // pointer_field
        out.writeBytes(section);
        for (int i = 5 + section.length; i < SIZE; i++) {
            out.writeByte(0xFF);
        }
    }
}
