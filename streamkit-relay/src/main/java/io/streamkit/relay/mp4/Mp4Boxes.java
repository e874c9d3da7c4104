package io.streamkit.relay.mp4;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.HevcConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Boxes shared by the fragmented muxer and the finalizer. Package-private. */
final class Mp4Boxes {
    /** The movie timescale of {@code mvhd} and {@code tkhd} durations. */
    static final int MOVIE_TIMESCALE = 1000;
    /** {@code und}, packed as three 5-bit letters (ISO 639-2/T). */
    private static final int LANGUAGE_UND = (('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60);

    private Mp4Boxes() {
    }

    static void mvhd(Mp4BoxWriter w, long duration, int nextTrackId) {
        boolean v1 = duration > 0xFFFFFFFFL;
        w.startFull("mvhd", v1 ? 1 : 0, 0);
        if (v1) {
            w.u64(0).u64(0).u32(MOVIE_TIMESCALE).u64(duration);
        } else {
            w.u32(0).u32(0).u32(MOVIE_TIMESCALE).u32(duration);
        }
        w.u32(0x00010000).u16(0x0100).zeros(10).unityMatrix().zeros(24).u32(nextTrackId);
        w.end();
    }

    static void tkhd(Mp4BoxWriter w, int trackId, long duration, boolean audio, int width, int height) {
        boolean v1 = duration > 0xFFFFFFFFL;
        w.startFull("tkhd", v1 ? 1 : 0, 0x000003); // track_enabled | track_in_movie
        if (v1) {
            w.u64(0).u64(0).u32(trackId).u32(0).u64(duration);
        } else {
            w.u32(0).u32(0).u32(trackId).u32(0).u32(duration);
        }
        w.zeros(8).u16(0).u16(0).u16(audio ? 0x0100 : 0).u16(0).unityMatrix();
        w.u32((long) width << 16).u32((long) height << 16);
        w.end();
    }

    static void mdhd(Mp4BoxWriter w, int timescale, long duration) {
        boolean v1 = duration > 0xFFFFFFFFL;
        w.startFull("mdhd", v1 ? 1 : 0, 0);
        if (v1) {
            w.u64(0).u64(0).u32(timescale).u64(duration);
        } else {
            w.u32(0).u32(0).u32(timescale).u32(duration);
        }
        w.u16(LANGUAGE_UND).u16(0);
        w.end();
    }

    static void hdlr(Mp4BoxWriter w, boolean audio) {
        w.startFull("hdlr", 0, 0).u32(0).fourCc(audio ? "soun" : "vide").zeros(12);
        w.bytes((audio ? "SoundHandler" : "VideoHandler").getBytes(StandardCharsets.US_ASCII)).u8(0);
        w.end();
    }

    /** Writes {@code vmhd} or {@code smhd} and {@code dinf}. */
    static void mediaHeaderAndDinf(Mp4BoxWriter w, boolean audio) {
        if (audio) {
            w.startFull("smhd", 0, 0).u16(0).u16(0).end();
        } else {
            w.startFull("vmhd", 0, 1).u16(0).zeros(6).end();
        }
        w.start("dinf").startFull("dref", 0, 0).u32(1).startFull("url ", 0, 1).end().end().end();
    }

    /** Timescale of a track's media: the sample rate for audio when known, else the packet timescale. */
    static int mediaTimescale(TrackInfo track) {
        if (track.mediaType() == MediaType.AUDIO) {
            int rate = sampleRate(track);
            if (rate > 0) {
                return rate;
            }
        }
        return track.timescale();
    }

    static int sampleRate(TrackInfo track) {
        if (track.codec() == Codec.OPUS) {
            return 48000;
        }
        if (track.sampleRate() > 0) {
            return track.sampleRate();
        }
        if (track.codec() == Codec.AAC && !track.config().isEmpty()) {
            return AacConfig.parse(track.config().toByteArray()).sampleRate();
        }
        return 0;
    }

    static int channels(TrackInfo track) {
        if (track.channels() > 0) {
            return track.channels();
        }
        if (track.codec() == Codec.AAC && !track.config().isEmpty()) {
            int c = AacConfig.parse(track.config().toByteArray()).channels();
            return c > 0 ? c : 2;
        }
        if (track.codec() == Codec.OPUS && track.config().length() > 9) {
            return track.config().unsignedByte(9);
        }
        return 2;
    }

    /** @return the picture size from the track, or from its configuration when the track has none */
    static AvcConfig.Dimensions dimensions(TrackInfo track) {
        if (track.width() > 0 && track.height() > 0) {
            return new AvcConfig.Dimensions(track.width(), track.height());
        }
        byte[] config = track.config().toByteArray();
        return track.codec() == Codec.H265 ? HevcConfig.dimensions(config) : AvcConfig.parse(config).dimensions();
    }

    /** Writes the {@code stsd} box with the track's one sample entry. */
    static void stsd(Mp4BoxWriter w, TrackInfo track) {
        w.startFull("stsd", 0, 0).u32(1);
        switch (track.codec()) {
            case H264 -> visualEntry(w, track, "avc1", "avcC", avcC(track));
            case H265 -> visualEntry(w, track, "hvc1", "hvcC", hvcC(track));
            case AAC -> {
                audioEntry(w, track, "mp4a", sampleRate(track));
                w.startFull("esds", 0, 0).bytes(esDescriptor(track)).end();
                w.end();
            }
            case OPUS -> {
                audioEntry(w, track, "Opus", 48000);
                w.start("dOps").bytes(dOps(track)).end();
                w.end();
            }
            default -> throw new CodecException("codec " + track.codec() + " of track " + track.id()
                    + " cannot be written to MP4 (supported: H264, H265, AAC, OPUS)");
        }
        w.end();
    }

    private static byte[] avcC(TrackInfo track) {
        if (track.config().isEmpty()) {
            throw new CodecException("H.264 track " + track.id() + " has no avcC configuration");
        }
        byte[] avcC = track.config().toByteArray();
        AvcConfig.parse(avcC); // validates
        avcC[4] = (byte) 0xFF; // payloads always carry 4-byte NAL unit lengths
        return avcC;
    }

    private static byte[] hvcC(TrackInfo track) {
        if (track.config().isEmpty()) {
            throw new CodecException("H.265 track " + track.id() + " has no hvcC configuration");
        }
        byte[] hvcC = track.config().toByteArray();
        HevcConfig.dimensions(hvcC); // validates
        hvcC[21] = (byte) (hvcC[21] | 0x03); // lengthSizeMinusOne 3
        return hvcC;
    }

    private static void visualEntry(Mp4BoxWriter w, TrackInfo track, String type, String configType, byte[] config) {
        AvcConfig.Dimensions d = dimensions(track);
        w.start(type).zeros(6).u16(1); // reserved, data_reference_index
        w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined
        w.u16(d.width()).u16(d.height());
        w.u32(0x00480000).u32(0x00480000).u32(0).u16(1); // 72 dpi, reserved, frame_count
        w.zeros(32).u16(0x0018).u16(0xFFFF); // compressorname, depth, pre_defined -1
        w.start(configType).bytes(config).end();
        w.end();
    }

    /** Opens an audio sample entry; the caller adds the configuration box and ends it. */
    private static void audioEntry(Mp4BoxWriter w, TrackInfo track, String type, int sampleRate) {
        w.start(type).zeros(6).u16(1); // reserved, data_reference_index
        w.zeros(8).u16(channels(track)).u16(16).u16(0).u16(0);
        w.u32(sampleRate <= 0xFFFF ? (long) sampleRate << 16 : 0);
    }

    /** The {@code ES_Descriptor} of an {@code esds} box (ISO/IEC 14496-1 7.2.6.5, 14496-14 5.6). */
    private static byte[] esDescriptor(TrackInfo track) {
        if (track.config().isEmpty()) {
            throw new CodecException("AAC track " + track.id() + " has no AudioSpecificConfig");
        }
        byte[] asc = track.config().toByteArray();
        AacConfig.parse(asc); // validates
        ByteArrayOutputStream dci = new ByteArrayOutputStream();
        dci.write(0x40); // objectTypeIndication: MPEG-4 audio
        dci.write((0x05 << 2) | 1); // streamType audio, upStream 0, reserved 1
        writeBytes(dci, new byte[3]); // bufferSizeDB
        long bitrate = Math.min(track.bitrate(), 0xFFFFFFFFL);
        writeU32(dci, bitrate); // maxBitrate
        writeU32(dci, bitrate); // avgBitrate
        writeBytes(dci, descriptor(0x05, asc)); // DecoderSpecificInfo
        ByteArrayOutputStream es = new ByteArrayOutputStream();
        es.write(0); // ES_ID
        es.write(0);
        es.write(0); // no dependency, URL or OCR stream
        writeBytes(es, descriptor(0x04, dci.toByteArray()));
        writeBytes(es, descriptor(0x06, new byte[]{0x02})); // SLConfigDescriptor, predefined MP4
        return descriptor(0x03, es.toByteArray());
    }

    private static byte[] descriptor(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.length;
        int groups = 1;
        while (groups < 4 && length >= 1 << (7 * groups)) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            out.write(((length >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
        }
        writeBytes(out, body);
        return out.toByteArray();
    }

    /** The {@code dOps} body from an {@code OpusHead} (little-endian fields become big-endian). */
    private static byte[] dOps(TrackInfo track) {
        byte[] head = track.config().toByteArray();
        int channels = channels(track);
        if (head.length == 0) {
            head = new byte[19];
            System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 8);
            head[8] = 1;
            head[9] = (byte) Math.min(channels, 2);
            head[10] = (byte) (312 & 0xFF);
            head[11] = (byte) (312 >>> 8);
            head[12] = (byte) 0x80; // 48000 little-endian
            head[13] = (byte) 0xBB;
        }
        if (head.length < 19 || !new String(head, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
            throw new CodecException("Opus track " + track.id() + " configuration of " + head.length
                    + " bytes is not an OpusHead");
        }
        int family = head[18] & 0xFF;
        int outChannels = head[9] & 0xFF;
        int mapping = family == 0 ? 0 : 2 + outChannels;
        if (head.length < 19 + mapping) {
            throw new CodecException("OpusHead of track " + track.id() + " is truncated in its channel mapping table");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0); // Version
        out.write(outChannels);
        out.write(head[11]); // PreSkip
        out.write(head[10]);
        out.write(head[15]); // InputSampleRate
        out.write(head[14]);
        out.write(head[13]);
        out.write(head[12]);
        out.write(head[17]); // OutputGain
        out.write(head[16]);
        out.write(family);
        out.write(head, 19, mapping);
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }
}
