package io.streamkit.relay.flv;

import static io.streamkit.relay.flv.FlvTags.AAC_RAW;
import static io.streamkit.relay.flv.FlvTags.AAC_SEQUENCE_HEADER;
import static io.streamkit.relay.flv.FlvTags.AUDIO_TRACK_ID;
import static io.streamkit.relay.flv.FlvTags.AVC_END_OF_SEQUENCE;
import static io.streamkit.relay.flv.FlvTags.AVC_NALU;
import static io.streamkit.relay.flv.FlvTags.AVC_SEQUENCE_HEADER;
import static io.streamkit.relay.flv.FlvTags.CODEC_AVC;
import static io.streamkit.relay.flv.FlvTags.CODEC_HEVC_LEGACY;
import static io.streamkit.relay.flv.FlvTags.EX_CODED_FRAMES;
import static io.streamkit.relay.flv.FlvTags.EX_CODED_FRAMES_X;
import static io.streamkit.relay.flv.FlvTags.EX_HEADER;
import static io.streamkit.relay.flv.FlvTags.EX_METADATA;
import static io.streamkit.relay.flv.FlvTags.EX_MPEG2TS_SEQUENCE_START;
import static io.streamkit.relay.flv.FlvTags.EX_SEQUENCE_END;
import static io.streamkit.relay.flv.FlvTags.EX_SEQUENCE_START;
import static io.streamkit.relay.flv.FlvTags.FOURCC_AV01;
import static io.streamkit.relay.flv.FlvTags.FOURCC_AVC1;
import static io.streamkit.relay.flv.FlvTags.FOURCC_HVC1;
import static io.streamkit.relay.flv.FlvTags.FOURCC_VP09;
import static io.streamkit.relay.flv.FlvTags.FRAME_COMMAND;
import static io.streamkit.relay.flv.FlvTags.FRAME_KEY;
import static io.streamkit.relay.flv.FlvTags.SOUND_AAC;
import static io.streamkit.relay.flv.FlvTags.SOUND_MP3;
import static io.streamkit.relay.flv.FlvTags.SOUND_RATES;
import static io.streamkit.relay.flv.FlvTags.TIMESCALE;
import static io.streamkit.relay.flv.FlvTags.VIDEO_TRACK_ID;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.amf.Amf0;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import io.streamkit.relay.internal.HevcConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the FLV tag bodies of one incoming stream (RTMP audio, video and data message payloads)
 * into {@link TrackInfo}s and {@link MediaPacket}s.
 *
 * <p>Video: legacy AVC (codec id 7), the common non-standard HEVC extension (codec id 12) and
 * Enhanced RTMP ({@code avc1}, {@code hvc1}, {@code av01}, {@code vp09}). Audio: AAC and MP3. The
 * video track has id 0 and the audio track id 1, both with timescale 1000 (milliseconds). Video
 * and AAC payloads are zero-copy slices of the body: H.264/H.265 as 4-byte-length-prefixed NAL
 * units, AAC as raw frames.
 *
 * <p>Buffers: the reader neither releases nor moves the indexes of the bodies it is given; each
 * packet holds its own retained slice, owned by the listener. Frames that arrive before their
 * sequence header are dropped and counted ({@link #droppedBeforeConfig()}). Malformed bodies throw
 * {@link CodecException} without leaking.
 *
 * <p>Not thread-safe: one instance per stream, called from one thread at a time.
 */
public final class FlvReader {
    /** Receives what a {@link FlvReader} produces, on the thread that calls the reader. */
    public interface Listener {
        /**
         * The set of tracks or one of their configurations changed.
         *
         * @param tracks the known tracks, video first; immutable
         */
        void onTracks(List<TrackInfo> tracks);

        /**
         * A frame of a known track.
         *
         * @param packet the packet; the listener takes over its reference and must release it
         */
        void onPacket(MediaPacket packet);
    }

    private final Listener listener;
    private TrackInfo video;
    private TrackInfo audio;
    private long droppedBeforeConfig;
    private Map<String, Object> metadata = Map.of();

    /**
     * @param listener receives tracks and packets
     */
    public FlvReader(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Reads the body of an FLV video tag (RTMP message type 9).
     *
     * @param body the body, from its reader index; neither released nor modified
     * @param timestampMs the tag's timestamp (the decode time) in milliseconds
     * @throws CodecException when the body is malformed or uses an unsupported codec
     */
    public void video(ByteBuf body, long timestampMs) {
        int start = body.readerIndex();
        int length = body.readableBytes();
        if (length < 1) {
            throw new CodecException("empty FLV video body");
        }
        int first = body.getUnsignedByte(start);
        if ((first & EX_HEADER) != 0) {
            enhancedVideo(body, first, timestampMs);
            return;
        }
        int frameType = first >> 4;
        int codecId = first & 0x0F;
        if (frameType == FRAME_COMMAND) {
            return;
        }
        Codec codec = switch (codecId) {
            case CODEC_AVC -> Codec.H264;
            case CODEC_HEVC_LEGACY -> Codec.H265;
            default -> throw new CodecException("unsupported FLV video codec id " + codecId);
        };
        if (length < 5) {
            throw new CodecException("FLV " + codec + " video body of " + length
                    + " bytes is shorter than the 5-byte header");
        }
        int packetType = body.getUnsignedByte(start + 1);
        int compositionTime = body.getMedium(start + 2);
        switch (packetType) {
            case AVC_SEQUENCE_HEADER -> videoConfig(codec, body, start + 5);
            case AVC_NALU -> videoFrame(codec, body, start + 5, timestampMs, compositionTime, frameType == FRAME_KEY);
            case AVC_END_OF_SEQUENCE -> {
                // nothing to do: a new sequence header, if any, will follow
            }
            default -> throw new CodecException("unknown FLV " + codec + " packet type " + packetType);
        }
    }

    private void enhancedVideo(ByteBuf body, int first, long timestampMs) {
        int start = body.readerIndex();
        int length = body.readableBytes();
        int frameType = (first >> 4) & 0x07;
        int packetType = first & 0x0F;
        if (length < 5) {
            throw new CodecException("Enhanced RTMP video body of " + length
                    + " bytes is shorter than the 5-byte header");
        }
        if (packetType > EX_MPEG2TS_SEQUENCE_START) {
            throw new CodecException("unsupported Enhanced RTMP video packet type " + packetType);
        }
        int fourCc = body.getInt(start + 1);
        Codec codec;
        if (fourCc == FOURCC_HVC1) {
            codec = Codec.H265;
        } else if (fourCc == FOURCC_AVC1) {
            codec = Codec.H264;
        } else if (fourCc == FOURCC_AV01) {
            codec = Codec.AV1;
        } else if (fourCc == FOURCC_VP09) {
            codec = Codec.VP9;
        } else {
            throw new CodecException("unknown Enhanced RTMP video FourCC " + FlvTags.fourCcString(fourCc));
        }
        if (frameType == FRAME_COMMAND && packetType != EX_METADATA) {
            return;
        }
        boolean keyframe = frameType == FRAME_KEY;
        switch (packetType) {
            case EX_SEQUENCE_START -> videoConfig(codec, body, start + 5);
            case EX_CODED_FRAMES -> {
                if (codec == Codec.H264 || codec == Codec.H265) {
                    if (length < 8) {
                        throw new CodecException("Enhanced RTMP " + codec + " coded frames body of " + length
                                + " bytes is shorter than the 8-byte header");
                    }
                    videoFrame(codec, body, start + 8, timestampMs, body.getMedium(start + 5), keyframe);
                } else {
                    videoFrame(codec, body, start + 5, timestampMs, 0, keyframe);
                }
            }
            case EX_CODED_FRAMES_X -> videoFrame(codec, body, start + 5, timestampMs, 0, keyframe);
            case EX_SEQUENCE_END, EX_METADATA, EX_MPEG2TS_SEQUENCE_START -> {
                // not media: nothing to emit
            }
            default -> throw new IllegalStateException("unreachable packet type " + packetType);
        }
    }

    private void videoConfig(Codec codec, ByteBuf body, int from) {
        byte[] config = ByteBufUtil.getBytes(body, from, body.writerIndex() - from);
        if (config.length == 0) {
            throw new CodecException("empty FLV " + codec + " sequence header");
        }
        TrackInfo.Builder b = TrackInfo.builder(VIDEO_TRACK_ID, codec).timescale(TIMESCALE).config(CodecConfig.of(
                config));
        if (codec == Codec.H264 || codec == Codec.H265) {
            AvcConfig.Dimensions d = codec == Codec.H264
                    ? AvcConfig.parse(config).dimensions()
                    : HevcConfig.dimensions(
                            config);
            b.dimensions(d.width(), d.height());
        }
        TrackInfo track = b.build();
        if (!track.equals(video)) {
            video = track;
            fireTracks();
        }
    }

    private void videoFrame(Codec codec, ByteBuf body, int from, long timestampMs, int compositionTime,
            boolean keyframe) {
        if (video == null || video.codec() != codec) {
            droppedBeforeConfig++;
            return;
        }
        ByteBuf data = body.retainedSlice(from, body.writerIndex() - from);
        listener.onPacket(MediaPacket.of(video, timestampMs, timestampMs + compositionTime, keyframe,
                ByteBufPayload.of(data)));
    }

    /**
     * Reads the body of an FLV audio tag (RTMP message type 8).
     *
     * @param body the body, from its reader index; neither released nor modified
     * @param timestampMs the tag's timestamp in milliseconds
     * @throws CodecException when the body is malformed or the sound format is not AAC or MP3
     */
    public void audio(ByteBuf body, long timestampMs) {
        int start = body.readerIndex();
        int length = body.readableBytes();
        if (length < 1) {
            throw new CodecException("empty FLV audio body");
        }
        int first = body.getUnsignedByte(start);
        int format = first >> 4;
        if (format == SOUND_AAC) {
            if (length < 2) {
                throw new CodecException("FLV AAC audio body of 1 byte is shorter than the 2-byte header");
            }
            int packetType = body.getUnsignedByte(start + 1);
            if (packetType == AAC_SEQUENCE_HEADER) {
                byte[] asc = ByteBufUtil.getBytes(body, start + 2, length - 2);
                AacConfig parsed = AacConfig.parse(asc);
                audioTrack(TrackInfo.builder(AUDIO_TRACK_ID, Codec.AAC).timescale(TIMESCALE).config(CodecConfig.of(
                        asc)).audio(parsed.sampleRate(), parsed.channels()).build());
            } else if (packetType == AAC_RAW) {
                audioFrame(Codec.AAC, body, start + 2, timestampMs);
            } else {
                throw new CodecException("unknown FLV AAC packet type " + packetType);
            }
        } else if (format == SOUND_MP3) {
            if (length < 2) {
                throw new CodecException("FLV MP3 audio body has no frame");
            }
            int rate = SOUND_RATES[(first >> 2) & 0x03];
            int channels = (first & 0x01) + 1;
            audioTrack(TrackInfo.builder(AUDIO_TRACK_ID, Codec.MP3).timescale(TIMESCALE).audio(rate, channels)
                    .build());
            audioFrame(Codec.MP3, body, start + 1, timestampMs);
        } else {
            throw new CodecException("unsupported FLV sound format " + format);
        }
    }

    private void audioTrack(TrackInfo track) {
        if (!track.equals(audio)) {
            audio = track;
            fireTracks();
        }
    }

    private void audioFrame(Codec codec, ByteBuf body, int from, long timestampMs) {
        if (audio == null || audio.codec() != codec) {
            droppedBeforeConfig++;
            return;
        }
        ByteBuf data = body.retainedSlice(from, body.writerIndex() - from);
        listener.onPacket(MediaPacket.of(audio, timestampMs, timestampMs, true, ByteBufPayload.of(data)));
    }

    /**
     * Reads the body of an FLV script data tag (RTMP message type 18): {@code onMetaData}, with or
     * without the {@code @setDataFrame} prefix a publisher sends, replaces {@link #metadata()};
     * other data messages are ignored.
     *
     * @param body the body, from its reader index; neither released nor modified
     * @throws CodecException when the body is not well-formed AMF0
     */
    public void data(ByteBuf body) {
        List<Object> values = Amf0.decodeAll(body.duplicate());
        int i = 0;
        if (i < values.size() && "@setDataFrame".equals(values.get(i))) {
            i++;
        }
        if (i + 1 < values.size() && "onMetaData".equals(values.get(i)) && values.get(i + 1) instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            metadata = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * @return the properties of the last {@code onMetaData} (for example {@code width},
     *         {@code height}, {@code framerate}, {@code videocodecid} as AMF0 values), empty
     *         before the first; unmodifiable, values may be {@code null}
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** @return the known tracks, video first; immutable */
    public List<TrackInfo> tracks() {
        List<TrackInfo> tracks = new ArrayList<>(2);
        if (video != null) {
            tracks.add(video);
        }
        if (audio != null) {
            tracks.add(audio);
        }
        return List.copyOf(tracks);
    }

    /** @return how many frames were dropped because their track's sequence header had not arrived */
    public long droppedBeforeConfig() {
        return droppedBeforeConfig;
    }

    private void fireTracks() {
        listener.onTracks(tracks());
    }
}
