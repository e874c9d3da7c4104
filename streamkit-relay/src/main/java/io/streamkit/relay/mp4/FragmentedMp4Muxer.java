package io.streamkit.relay.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Muxes {@link MediaPacket}s into fragmented MP4 (ISO/IEC 14496-12 8.8, CMAF ISO/IEC 23000-19):
 * one {@linkplain #initSegment(ByteBufAllocator) initialization segment} ({@code ftyp} +
 * {@code moov} with empty sample tables and {@code mvex}) and any number of
 * {@linkplain #fragment(ByteBufAllocator, List, int) fragments} ({@code moof} + {@code mdat}).
 *
 * <p>MP4 track ids are the position of the track in the constructor's list plus 1. The media
 * timescale of a video track is its {@link TrackInfo#timescale()}, that of an audio track its
 * sample rate (48000 for Opus); packet timestamps are converted to it. All tracks share one zero
 * point, by default the decode time of the first packet muxed (see {@link #startAt(long, int)}),
 * so a file starts at 0 and the tracks keep their synchronisation.
 *
 * <p>In a fragment each track present has one {@code traf} with {@code default-base-is-moof}, a
 * 64-bit {@code tfdt} and one version-1 {@code trun} listing every sample's duration, size, flags
 * and (for video) signed composition offset. A sample's duration is the distance to the next
 * sample of its track; the last sample of a track in a fragment repeats the previous duration
 * of that track (or a codec default: 1024 samples for AAC, 20 ms for Opus, 1/30 s for video).
 * The {@code mdat} holds each track's samples contiguously, in track order, as retained slices of
 * the packet payloads (no copy).
 *
 * <p>Not thread-safe.
 */
public final class FragmentedMp4Muxer {
    private static final Logger log = LoggerFactory.getLogger(FragmentedMp4Muxer.class);

    /** {@code tfhd} flag: the base data offset is the start of the enclosing {@code moof}. */
    static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
    /** {@code trun} flags: data offset, per-sample duration, size, flags, composition offset. */
    static final int TRUN_DATA_OFFSET = 0x000001;
    static final int TRUN_DURATION = 0x000100;
    static final int TRUN_SIZE = 0x000200;
    static final int TRUN_FLAGS = 0x000400;
    static final int TRUN_CTO = 0x000800;
    /** Sample flags of a sync sample: sample_depends_on 2 (depends on no other sample). */
    public static final int SYNC_SAMPLE_FLAGS = 0x02000000;
    /** Sample flags of other samples: sample_depends_on 1 and sample_is_non_sync_sample. */
    public static final int NON_SYNC_SAMPLE_FLAGS = 0x01010000;

    private final List<TrackInfo> tracks;
    private final Track[] state;
    private final Map<Integer, Integer> indexById = new HashMap<>();
    private boolean zeroSet;
    private long zeroDts;
    private int zeroTimescale;

    /**
     * @param tracks the tracks, at most one per id, each with its codec configuration
     * @throws IllegalArgumentException when the list is empty or ids repeat
     * @throws CodecException when a codec is not supported or a configuration is missing or
     *         malformed
     */
    public FragmentedMp4Muxer(List<TrackInfo> tracks) {
        this.tracks = List.copyOf(tracks);
        if (this.tracks.isEmpty()) {
            throw new IllegalArgumentException("an MP4 needs at least one track");
        }
        state = new Track[this.tracks.size()];
        for (int i = 0; i < state.length; i++) {
            TrackInfo t = this.tracks.get(i);
            if (indexById.put(t.id(), i) != null) {
                throw new IllegalArgumentException("track id " + t.id() + " appears twice");
            }
            state[i] = new Track(t, i + 1);
        }
        // fail early on unsupported codecs and bad configurations
        Mp4BoxWriter probe = new Mp4BoxWriter(Unpooled.buffer());
        try {
            for (TrackInfo t : this.tracks) {
                Mp4Boxes.stsd(probe, t);
            }
        } finally {
            probe.buffer().release();
        }
    }

    /** @return the tracks, in MP4 track id order */
    public List<TrackInfo> tracks() {
        return tracks;
    }

    /**
     * @param trackId a {@link TrackInfo#id()}
     * @return the MP4 {@code track_ID} of that track
     * @throws IllegalArgumentException for an unknown track
     */
    public int mp4TrackId(int trackId) {
        return track(trackId).mp4Id;
    }

    /**
     * @param trackId a {@link TrackInfo#id()}
     * @return the media timescale ({@code mdhd}) of that track
     * @throws IllegalArgumentException for an unknown track
     */
    public int mediaTimescale(int trackId) {
        return track(trackId).timescale;
    }

    /**
     * Sets the zero point of the file: a packet with this decode time is at media time 0 in
     * every track. Without a call, the first packet given to {@link #fragment} sets it.
     *
     * @param dts a decode time
     * @param timescale its ticks per second
     * @return this muxer
     */
    public FragmentedMp4Muxer startAt(long dts, int timescale) {
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be > 0, was " + timescale);
        }
        zeroDts = dts;
        zeroTimescale = timescale;
        zeroSet = true;
        return this;
    }

    /**
     * Writes the initialization segment: {@code ftyp} and {@code moov}.
     *
     * @param alloc allocates the result
     * @return the segment, owned by the caller
     */
    public ByteBuf initSegment(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(1024);
        try {
            Mp4BoxWriter w = new Mp4BoxWriter(buf);
            w.start("ftyp").fourCc("iso6").u32(0);
            for (String brand : new String[]{"iso6", "cmfc", "iso5", "isom", "mp41", "dash"}) {
                w.fourCc(brand);
            }
            w.end();
            w.start("moov");
            Mp4Boxes.mvhd(w, 0, state.length + 1);
            for (Track t : state) {
                boolean audio = t.info.mediaType() == MediaType.AUDIO;
                AvcConfig.Dimensions d = audio ? new AvcConfig.Dimensions(0, 0) : Mp4Boxes.dimensions(t.info);
                w.start("trak");
                Mp4Boxes.tkhd(w, t.mp4Id, 0, audio, d.width(), d.height());
                w.start("mdia");
                Mp4Boxes.mdhd(w, t.timescale, 0);
                Mp4Boxes.hdlr(w, audio);
                w.start("minf");
                Mp4Boxes.mediaHeaderAndDinf(w, audio);
                w.start("stbl");
                Mp4Boxes.stsd(w, t.info);
                w.startFull("stts", 0, 0).u32(0).end();
                w.startFull("stsc", 0, 0).u32(0).end();
                w.startFull("stsz", 0, 0).u32(0).u32(0).end();
                w.startFull("stco", 0, 0).u32(0).end();
                w.end().end().end().end(); // stbl, minf, mdia, trak
            }
            w.start("mvex");
            for (Track t : state) {
                w.startFull("trex", 0, 0).u32(t.mp4Id).u32(1).u32(0).u32(0).u32(0).end();
            }
            w.end().end(); // mvex, moov
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /**
     * Writes one fragment: {@code moof} and {@code mdat}.
     *
     * @param alloc allocates the headers
     * @param samples the packets of any of the tracks, in decode order within each track; lent:
     *        neither retained nor released (the result holds its own references to the payloads)
     * @param sequenceNumber the {@code mfhd} sequence number, starting at 1 and increasing
     * @return the fragment, owned by the caller; a composite of the headers and retained payload
     *         slices
     * @throws IllegalArgumentException when {@code samples} is empty or holds an unknown track
     * @throws CodecException when the fragment would exceed 2 GiB
     */
    public ByteBuf fragment(ByteBufAllocator alloc, List<MediaPacket> samples, int sequenceNumber) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a fragment needs at least one sample");
        }
        List<List<MediaPacket>> perTrack = new ArrayList<>(state.length);
        for (int i = 0; i < state.length; i++) {
            perTrack.add(new ArrayList<>());
        }
        long payloadBytes = 0;
        for (MediaPacket p : samples) {
            perTrack.get(index(p.trackId())).add(p);
            payloadBytes += p.size();
        }
        if (payloadBytes > Integer.MAX_VALUE - (1 << 20)) {
            throw new CodecException("a fragment of " + payloadBytes + " bytes exceeds the 2 GiB limit");
        }
        if (!zeroSet) {
            startAt(samples.get(0).dts(), samples.get(0).timescale());
        }
        ByteBuf header = alloc.buffer(256 + 16 * samples.size());
        CompositeByteBuf out = alloc.compositeBuffer(samples.size() + 1);
        try {
            Mp4BoxWriter w = new Mp4BoxWriter(header);
            w.start("moof");
            w.startFull("mfhd", 0, 0).u32(sequenceNumber).end();
            int[] offsetFields = new int[state.length];
            for (int i = 0; i < state.length; i++) {
                List<MediaPacket> list = perTrack.get(i);
                if (!list.isEmpty()) {
                    offsetFields[i] = traf(w, state[i], list);
                }
            }
            w.end();
            int moofSize = header.writerIndex();
            long dataOffset = moofSize + 8L;
            for (int i = 0; i < state.length; i++) {
                List<MediaPacket> list = perTrack.get(i);
                if (!list.isEmpty()) {
                    w.patchU32(offsetFields[i], dataOffset);
                    for (MediaPacket p : list) {
                        dataOffset += p.size();
                    }
                }
            }
            header.writeInt((int) (8 + payloadBytes));
            header.writeInt(0x6d646174); // 'mdat'
            out.addComponent(true, header);
            header = null;
            for (List<MediaPacket> list : perTrack) {
                for (MediaPacket p : list) {
                    if (p.size() > 0) {
                        out.addComponent(true, ByteBufPayload.toByteBuf(p.payload()));
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            if (header != null) {
                header.release();
            }
            out.release();
            throw e;
        }
    }

    /** Writes a {@code traf}; returns the position of its {@code trun} data offset field. */
    private int traf(Mp4BoxWriter w, Track t, List<MediaPacket> list) {
        int n = list.size();
        long[] dts = new long[n];
        long[] cto = new long[n];
        long zero = MediaPacket.rescale(zeroDts, zeroTimescale, t.timescale);
        boolean clamped = false;
        for (int i = 0; i < n; i++) {
            MediaPacket p = list.get(i);
            long d = MediaPacket.rescale(p.dts(), p.timescale(), t.timescale) - zero;
            long c = MediaPacket.rescale(p.pts(), p.timescale(), t.timescale) - zero - d;
            if (d < 0 || (i > 0 && d < dts[i - 1])) {
                d = i > 0 ? dts[i - 1] : 0;
                d = Math.max(d, 0);
                clamped = true;
            }
            dts[i] = d;
            cto[i] = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c));
        }
        if (clamped) {
            log.debug("MP4 track {}: decode times before the zero point or going backwards were clamped", t.mp4Id);
        }
        boolean video = t.info.mediaType() == MediaType.VIDEO;
        w.start("traf");
        w.startFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(t.mp4Id).end();
        w.startFull("tfdt", 1, 0).u64(dts[0]).end();
        int flags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | (video ? TRUN_CTO : 0);
        w.startFull("trun", 1, flags).u32(n);
        int offsetField = w.position();
        w.u32(0);
        for (int i = 0; i < n; i++) {
            MediaPacket p = list.get(i);
            long duration;
            if (i + 1 < n) {
                duration = Math.min(dts[i + 1] - dts[i], 0xFFFFFFFFL);
                t.lastDuration = duration;
            } else {
                duration = t.lastDuration > 0 ? t.lastDuration : t.defaultDuration;
            }
            w.u32(duration).u32(p.size());
            w.u32(p.isKeyframe() || !video ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
            if (video) {
                w.u32(cto[i]);
            }
        }
        w.end(); // trun
        w.end(); // traf
        return offsetField;
    }

    private int index(int trackId) {
        Integer i = indexById.get(trackId);
        if (i == null) {
            throw new IllegalArgumentException("packet of unknown track " + trackId + "; tracks are " + indexById
                    .keySet());
        }
        return i;
    }

    private Track track(int trackId) {
        return state[index(trackId)];
    }

    /** Per-track muxing state. */
    private static final class Track {
        final TrackInfo info;
        final int mp4Id;
        final int timescale;
        final long defaultDuration;
        long lastDuration;

        Track(TrackInfo info, int mp4Id) {
            this.info = info;
            this.mp4Id = mp4Id;
            this.timescale = Mp4Boxes.mediaTimescale(info);
            this.defaultDuration = defaultDuration(info, timescale);
        }

        private static long defaultDuration(TrackInfo info, int timescale) {
            if (info.codec() == Codec.AAC) {
                int rate = Mp4Boxes.sampleRate(info);
                int frame = 1024;
                if (!info.config().isEmpty() && AacConfig.parse(info.config().toByteArray())
                        .extensionObjectType() != 0) {
                    frame = 2048;
                }
                return rate > 0 ? Math.max(1, (long) frame * timescale / rate) : Math.max(1, timescale / 47);
            }
            if (info.codec() == Codec.OPUS) {
                return Math.max(1, timescale / 50);
            }
            return Math.max(1, timescale / 30);
        }
    }
}
