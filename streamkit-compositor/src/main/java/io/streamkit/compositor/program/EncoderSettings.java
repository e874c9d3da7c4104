package io.streamkit.compositor.program;

import java.util.Objects;

/**
 * How the program is encoded. The default uses FFmpeg's LGPL build: {@code libopenh264} for
 * video and FFmpeg's own {@code aac}. With the GPL natives ({@code -gpl} classifier),
 * {@code libx264} and its presets are available.
 *
 * @param videoCodec   the FFmpeg H.264 encoder name
 * @param videoBitrate the video bit rate in bit/s, 100 kbit/s..100 Mbit/s
 * @param gopFrames    frames from one keyframe to the next, 1..600
 * @param preset       the encoder preset ({@code veryfast}...), empty for the encoder's default;
 *                     encoders without presets (libopenh264) ignore it
 * @param profile      the H.264 profile ({@code constrained_baseline}, {@code main},
 *                     {@code high}...), empty for the encoder's default
 * @param audioCodec   the FFmpeg AAC encoder name
 * @param audioBitrate the audio bit rate in bit/s, 16..512 kbit/s
 * @param threads      video encoding threads, 0 for the encoder's choice
 */
public record EncoderSettings(String videoCodec, long videoBitrate, int gopFrames, String preset, String profile,
        String audioCodec, long audioBitrate, int threads) {

    /** libopenh264 at 4 Mbit/s with a keyframe every 60 frames, AAC at 128 kbit/s. */
    public static final EncoderSettings DEFAULT = new EncoderSettings("libopenh264", 4_000_000, 60, "veryfast", "",
            "aac", 128_000, 0);

    /** Validates every field. */
    public EncoderSettings {
        Objects.requireNonNull(videoCodec, "videoCodec");
        Objects.requireNonNull(preset, "preset (use \"\" for the default)");
        Objects.requireNonNull(profile, "profile (use \"\" for the default)");
        Objects.requireNonNull(audioCodec, "audioCodec");
        if (videoCodec.isBlank() || audioCodec.isBlank()) {
            throw new IllegalArgumentException("encoder names must not be blank");
        }
        if (videoBitrate < 100_000 || videoBitrate > 100_000_000) {
            throw new IllegalArgumentException("video bit rate " + videoBitrate + " is outside 100 kbit/s..100 Mbit/s");
        }
        if (gopFrames < 1 || gopFrames > 600) {
            throw new IllegalArgumentException("GOP of " + gopFrames + " frames is outside 1..600");
        }
        if (audioBitrate < 16_000 || audioBitrate > 512_000) {
            throw new IllegalArgumentException("audio bit rate " + audioBitrate + " is outside 16..512 kbit/s");
        }
        if (threads < 0 || threads > 64) {
            throw new IllegalArgumentException("threads " + threads + " is outside 0..64");
        }
    }

    /**
     * Returns a copy with another video encoder.
     *
     * @param codec the FFmpeg encoder name, for example {@code libx264}
     * @return the copy
     */
    public EncoderSettings withVideoCodec(String codec) {
        return new EncoderSettings(codec, videoBitrate, gopFrames, preset, profile, audioCodec, audioBitrate, threads);
    }

    /**
     * Returns a copy with another video bit rate.
     *
     * @param bitsPerSecond the bit rate
     * @return the copy
     */
    public EncoderSettings withVideoBitrate(long bitsPerSecond) {
        return new EncoderSettings(videoCodec, bitsPerSecond, gopFrames, preset, profile, audioCodec, audioBitrate,
                threads);
    }

    /**
     * Returns a copy with another keyframe interval.
     *
     * @param frames frames between keyframes
     * @return the copy
     */
    public EncoderSettings withGop(int frames) {
        return new EncoderSettings(videoCodec, videoBitrate, frames, preset, profile, audioCodec, audioBitrate,
                threads);
    }

    /**
     * Returns a copy with another preset.
     *
     * @param name the preset, or empty
     * @return the copy
     */
    public EncoderSettings withPreset(String name) {
        return new EncoderSettings(videoCodec, videoBitrate, gopFrames, name, profile, audioCodec, audioBitrate,
                threads);
    }

    /**
     * Returns a copy with another profile.
     *
     * @param name the profile, or empty
     * @return the copy
     */
    public EncoderSettings withProfile(String name) {
        return new EncoderSettings(videoCodec, videoBitrate, gopFrames, preset, name, audioCodec, audioBitrate,
                threads);
    }

    /**
     * Returns a copy with another audio bit rate.
     *
     * @param bitsPerSecond the bit rate
     * @return the copy
     */
    public EncoderSettings withAudioBitrate(long bitsPerSecond) {
        return new EncoderSettings(videoCodec, videoBitrate, gopFrames, preset, profile, audioCodec, bitsPerSecond,
                threads);
    }

    /**
     * Returns a copy with another number of video encoding threads.
     *
     * @param count the thread count, 0 for the encoder's choice
     * @return the copy
     */
    public EncoderSettings withThreads(int count) {
        return new EncoderSettings(videoCodec, videoBitrate, gopFrames, preset, profile, audioCodec, audioBitrate,
                count);
    }
}
