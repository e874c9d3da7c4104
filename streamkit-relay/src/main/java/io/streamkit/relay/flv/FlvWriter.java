package io.streamkit.relay.flv;

import static io.streamkit.relay.flv.FlvTags.AAC_RAW;
import static io.streamkit.relay.flv.FlvTags.AAC_SEQUENCE_HEADER;
import static io.streamkit.relay.flv.FlvTags.AVC_NALU;
import static io.streamkit.relay.flv.FlvTags.AVC_SEQUENCE_HEADER;
import static io.streamkit.relay.flv.FlvTags.CODEC_AVC;
import static io.streamkit.relay.flv.FlvTags.EX_CODED_FRAMES;
import static io.streamkit.relay.flv.FlvTags.EX_CODED_FRAMES_X;
import static io.streamkit.relay.flv.FlvTags.EX_HEADER;
import static io.streamkit.relay.flv.FlvTags.EX_SEQUENCE_START;
import static io.streamkit.relay.flv.FlvTags.FRAME_INTER;
import static io.streamkit.relay.flv.FlvTags.FRAME_KEY;
import static io.streamkit.relay.flv.FlvTags.SOUND_AAC;
import static io.streamkit.relay.flv.FlvTags.SOUND_MP3;
import static io.streamkit.relay.flv.FlvTags.TIMESCALE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.amf.Amf0;
import io.streamkit.relay.amf.AmfEcmaArray;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import java.util.List;

/**
 * Builds FLV tag bodies (RTMP audio, video and data message payloads) from {@link TrackInfo}s and
 * {@link MediaPacket}s: the inverse of {@link FlvReader}.
 *
 * <p>H.264 uses the legacy AVC form that every player understands; H.265, AV1 and VP9 use
 * Enhanced RTMP ({@code hvc1}, {@code av01}, {@code vp09}). AAC and MP3 use the legacy audio
 * forms. Frames are not copied: the result is a composite of a small header and a retained view of
 * the packet's payload. Every returned buffer belongs to the caller, who must release it (writing
 * it to a channel does).
 *
 * <p>Stateless and thread-safe.
 */
public final class FlvWriter {
    private static final int AAC_FLAGS = (SOUND_AAC << 4) | 0x0F; // 44 kHz, 16 bit, stereo: fixed for AAC
    private static final int SI24_MIN = -(1 << 23);
    private static final int SI24_MAX = (1 << 23) - 1;

    private FlvWriter() {
    }

    /**
     * Builds the sequence header (decoder configuration) of a video track.
     *
     * @param alloc the allocator for the result
     * @param track an H.264, H.265, AV1 or VP9 track with a non-empty configuration
     * @return the tag body, owned by the caller
     * @throws CodecException when FLV cannot carry the codec or the configuration is empty
     */
    public static ByteBuf videoSequenceHeader(ByteBufAllocator alloc, TrackInfo track) {
        int fourCc = videoFourCc(track);
        if (track.config().isEmpty()) {
            throw new CodecException("video track " + track.id() + " (" + track.codec()
                    + ") has no codec configuration for a sequence header");
        }
        ByteBuf out = alloc.buffer(5 + track.config().length());
        if (track.codec() == Codec.H264) {
            out.writeByte((FRAME_KEY << 4) | CODEC_AVC);
            out.writeByte(AVC_SEQUENCE_HEADER);
            out.writeMedium(0);
        } else {
            out.writeByte(EX_HEADER | (FRAME_KEY << 4) | EX_SEQUENCE_START);
            out.writeInt(fourCc);
        }
        out.writeBytes(track.config().asReadOnlyBuffer());
        return out;
    }

    /**
     * Builds the sequence header of an audio track. AAC carries its AudioSpecificConfig (built from
     * the sample rate and channel count as AAC-LC when the track has no configuration).
     *
     * @param alloc the allocator for the result
     * @param track an AAC or MP3 track
     * @return the tag body owned by the caller, or {@code null} for MP3, which has no sequence header
     * @throws CodecException when FLV cannot carry the codec or an AAC track has neither
     *         configuration nor sample rate and channels
     */
    public static ByteBuf audioSequenceHeader(ByteBufAllocator alloc, TrackInfo track) {
        if (track.codec() == Codec.MP3) {
            return null;
        }
        if (track.codec() != Codec.AAC) {
            throw new CodecException("FLV cannot carry audio codec " + track.codec());
        }
        byte[] asc;
        if (!track.config().isEmpty()) {
            asc = track.config().toByteArray();
        } else {
            try {
                asc = AacConfig.build(2, track.sampleRate(), track.channels());
            } catch (IllegalArgumentException e) {
                throw new CodecException("AAC track " + track.id()
                        + " has no AudioSpecificConfig and none can be built: " + e.getMessage(), e);
            }
        }
        ByteBuf out = alloc.buffer(2 + asc.length);
        out.writeByte(AAC_FLAGS);
        out.writeByte(AAC_SEQUENCE_HEADER);
        out.writeBytes(asc);
        return out;
    }

    /**
     * Builds the tag body of one frame without copying its payload.
     *
     * @param alloc the allocator for the header and the composite
     * @param track the packet's track (H.264, H.265, AV1, VP9, AAC or MP3)
     * @param packet the frame; the caller keeps its reference (the result holds its own)
     * @return the tag body, owned by the caller
     * @throws CodecException when FLV cannot carry the codec, or the composition time offset does
     *         not fit 24 bits
     * @throws IllegalArgumentException when the packet's media type is not the track's
     */
    public static ByteBuf frame(ByteBufAllocator alloc, TrackInfo track, MediaPacket packet) {
        if (packet.mediaType() != track.mediaType()) {
            throw new IllegalArgumentException("packet of " + packet.mediaType() + " for a " + track.mediaType()
                    + " track");
        }
        ByteBuf header = track.mediaType() == MediaType.VIDEO
                ? videoHeader(alloc, track, packet)
                : audioHeader(
                        alloc, track);
        ByteBuf data;
        try {
            data = ByteBufPayload.toByteBuf(packet.payload());
        } catch (RuntimeException e) {
            header.release();
            throw e;
        }
        CompositeByteBuf out = alloc.compositeBuffer(2);
        out.addComponents(true, header, data);
        return out;
    }

    private static ByteBuf videoHeader(ByteBufAllocator alloc, TrackInfo track, MediaPacket packet) {
        int fourCc = videoFourCc(track);
        int frameType = packet.isKeyframe() ? FRAME_KEY : FRAME_INTER;
        long cts = packet.rescale(packet.pts(), TIMESCALE) - packet.rescale(packet.dts(), TIMESCALE);
        if (cts < SI24_MIN || cts > SI24_MAX) {
            throw new CodecException("composition time offset " + cts + " ms does not fit the FLV 24-bit field");
        }
        ByteBuf header;
        if (track.codec() == Codec.H264) {
            header = alloc.buffer(5);
            header.writeByte((frameType << 4) | CODEC_AVC);
            header.writeByte(AVC_NALU);
            header.writeMedium((int) cts);
        } else if (track.codec() == Codec.H265 && cts != 0) {
            header = alloc.buffer(8);
            header.writeByte(EX_HEADER | (frameType << 4) | EX_CODED_FRAMES);
            header.writeInt(fourCc);
            header.writeMedium((int) cts);
        } else if (track.codec() == Codec.H265) {
            header = alloc.buffer(5);
            header.writeByte(EX_HEADER | (frameType << 4) | EX_CODED_FRAMES_X);
            header.writeInt(fourCc);
        } else {
            // AV1 and VP9 coded frames carry no composition time
            header = alloc.buffer(5);
            header.writeByte(EX_HEADER | (frameType << 4) | EX_CODED_FRAMES);
            header.writeInt(fourCc);
        }
        return header;
    }

    private static ByteBuf audioHeader(ByteBufAllocator alloc, TrackInfo track) {
        if (track.codec() == Codec.AAC) {
            ByteBuf header = alloc.buffer(2);
            header.writeByte(AAC_FLAGS);
            header.writeByte(AAC_RAW);
            return header;
        }
        if (track.codec() == Codec.MP3) {
            ByteBuf header = alloc.buffer(1);
            header.writeByte((SOUND_MP3 << 4) | (mp3RateIndex(track.sampleRate()) << 2) | 0x02
                    | (track.channels() > 1 ? 1 : 0));
            return header;
        }
        throw new CodecException("FLV cannot carry audio codec " + track.codec());
    }

    private static int mp3RateIndex(int sampleRate) {
        // FLV has four rates; MP3 decoders read the real rate from the frame header anyway.
        if (sampleRate >= 44100 || sampleRate == 0) {
            return 3;
        }
        if (sampleRate >= 22050) {
            return 2;
        }
        return sampleRate >= 11025 ? 1 : 0;
    }

    private static int videoFourCc(TrackInfo track) {
        int fourCc = FlvTags.fourCcOf(track.codec());
        if (fourCc == 0) {
            throw new CodecException("FLV cannot carry video codec " + track.codec());
        }
        return fourCc;
    }

    /**
     * Builds an {@code onMetaData} script data body: the string {@code "onMetaData"} and an ECMA
     * array describing the tracks ({@code width}, {@code height}, {@code videocodecid},
     * {@code videodatarate}, {@code audiocodecid}, {@code audiosamplerate}, {@code audiochannels},
     * {@code stereo}, {@code audiodatarate}, {@code encoder}), as sent to players in an RTMP data
     * message. The video codec id is 7 for H.264 and the FourCC as a number for Enhanced RTMP codecs.
     *
     * @param alloc the allocator for the result
     * @param tracks the tracks; those FLV cannot carry are left out
     * @return the body, owned by the caller
     */
    public static ByteBuf onMetaData(ByteBufAllocator alloc, List<TrackInfo> tracks) {
        AmfEcmaArray props = new AmfEcmaArray();
        for (TrackInfo t : tracks) {
            if (t.mediaType() == MediaType.VIDEO && FlvTags.fourCcOf(t.codec()) != 0 && !props.containsKey(
                    "videocodecid")) {
                if (t.width() > 0 && t.height() > 0) {
                    props.put("width", (double) t.width());
                    props.put("height", (double) t.height());
                }
                props.put("videocodecid", t.codec() == Codec.H264
                        ? (double) CODEC_AVC
                        : (double) FlvTags.fourCcOf(
                                t.codec()));
                if (t.bitrate() > 0) {
                    props.put("videodatarate", t.bitrate() / 1000.0);
                }
            } else if ((t.codec() == Codec.AAC || t.codec() == Codec.MP3) && !props.containsKey("audiocodecid")) {
                props.put("audiocodecid", (double) (t.codec() == Codec.AAC ? SOUND_AAC : SOUND_MP3));
                if (t.sampleRate() > 0) {
                    props.put("audiosamplerate", (double) t.sampleRate());
                }
                if (t.channels() > 0) {
                    props.put("audiochannels", (double) t.channels());
                    props.put("stereo", t.channels() > 1);
                }
                if (t.bitrate() > 0) {
                    props.put("audiodatarate", t.bitrate() / 1000.0);
                }
            }
        }
        props.put("encoder", "StreamKit");
        ByteBuf out = alloc.buffer(256);
        try {
            Amf0.encodeAll(out, "onMetaData", props);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }
}
