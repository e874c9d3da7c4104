package io.streamkit.api;

import java.util.Objects;

/**
 * Describes one track of a stream. Immutable; derive variants with {@link #toBuilder()}.
 *
 * @param id the track id, unique within a stream, referenced by {@link MediaPacket#trackId()}
 * @param codec the codec
 * @param timescale ticks per second of the packet timestamps of this track (1000 for FLV,
 *        90000 for MPEG-TS and RTP video, 48000 for Opus)
 * @param config the codec configuration, {@link CodecConfig#EMPTY} when not (yet) known
 * @param width video width in pixels, 0 when unknown or audio
 * @param height video height in pixels, 0 when unknown or audio
 * @param sampleRate audio sample rate in Hz, 0 when unknown or video
 * @param channels audio channel count, 0 when unknown or video
 * @param bitrate nominal bit rate in bit/s, 0 when unknown
 */
public record TrackInfo(int id, Codec codec, int timescale, CodecConfig config, int width, int height, int sampleRate,
        int channels, long bitrate) {

    /** Validates every field. */
    public TrackInfo {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(config, "config");
        if (id < 0) {
            throw new IllegalArgumentException("track id must be >= 0, was " + id);
        }
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be > 0, was " + timescale);
        }
        if (width < 0 || height < 0 || sampleRate < 0 || channels < 0 || bitrate < 0) {
            throw new IllegalArgumentException("width, height, sampleRate, channels and bitrate must be >= 0");
        }
    }

    /** @return the media type of {@link #codec()} */
    public MediaType mediaType() {
        return codec.mediaType();
    }

    /**
     * @param id the track id
     * @param codec the codec
     * @return a builder with timescale 1000 and no configuration
     */
    public static Builder builder(int id, Codec codec) {
        return new Builder(id, codec);
    }

    /** @return a builder initialised from this track */
    public Builder toBuilder() {
        Builder b = new Builder(id, codec);
        b.timescale = timescale;
        b.config = config;
        b.width = width;
        b.height = height;
        b.sampleRate = sampleRate;
        b.channels = channels;
        b.bitrate = bitrate;
        return b;
    }

    /** Builds a {@link TrackInfo}. */
    public static final class Builder {
        private int id;
        private Codec codec;
        private int timescale = 1000;
        private CodecConfig config = CodecConfig.EMPTY;
        private int width;
        private int height;
        private int sampleRate;
        private int channels;
        private long bitrate;

        private Builder(int id, Codec codec) {
            this.id = id;
            this.codec = codec;
        }

        /** @param id the track id @return this builder */
        public Builder id(int id) {
            this.id = id;
            return this;
        }

        /** @param timescale ticks per second @return this builder */
        public Builder timescale(int timescale) {
            this.timescale = timescale;
            return this;
        }

        /** @param config the codec configuration @return this builder */
        public Builder config(CodecConfig config) {
            this.config = config;
            return this;
        }

        /** @param width video width @param height video height @return this builder */
        public Builder dimensions(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** @param sampleRate audio rate in Hz @param channels channel count @return this builder */
        public Builder audio(int sampleRate, int channels) {
            this.sampleRate = sampleRate;
            this.channels = channels;
            return this;
        }

        /** @param bitrate nominal bit rate in bit/s @return this builder */
        public Builder bitrate(long bitrate) {
            this.bitrate = bitrate;
            return this;
        }

        /** @return the validated track */
        public TrackInfo build() {
            return new TrackInfo(id, codec, timescale, config, width, height, sampleRate, channels, bitrate);
        }
    }
}
