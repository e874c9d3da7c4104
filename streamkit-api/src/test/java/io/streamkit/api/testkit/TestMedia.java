package io.streamkit.api.testkit;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic media for tests: an H.264 track (640x360, a real avcC) and an AAC track (48 kHz
 * stereo), packets with recognisable bytes, and payloads that count allocations and releases so
 * a test can assert that nothing leaked.
 */
public final class TestMedia {
    /** A real avcC of a 640x360 High-profile x264 stream. */
    public static final byte[] AVCC = hex(
            "0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000468ef8fcb");
    /** AAC-LC, 48 kHz, stereo. */
    public static final byte[] ASC = {0x11, (byte) 0x90};

    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();

    /** @return the video track, id 0, timescale 1000 */
    public static TrackInfo videoTrack() {
        return TrackInfo.builder(0, Codec.H264).timescale(1000).config(CodecConfig.of(AVCC)).dimensions(640, 360)
                .build();
    }

    /** @return the audio track, id 1, timescale 1000 */
    public static TrackInfo audioTrack() {
        return TrackInfo.builder(1, Codec.AAC).timescale(1000).config(CodecConfig.of(ASC)).audio(48000, 2).build();
    }

    /** @return both tracks */
    public static List<TrackInfo> tracks() {
        return List.of(videoTrack(), audioTrack());
    }

    /**
     * @param size payload size
     * @param seed content seed
     * @return a tracked payload of count 1 whose bytes derive from {@code seed}
     */
    public Payload payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        allocated.incrementAndGet();
        return Payload.wrap(ByteBuffer.wrap(bytes), freed::incrementAndGet);
    }

    /**
     * A video frame as 4-byte-length-prefixed NAL units (one IDR or one non-IDR slice).
     *
     * @param dtsMs decode time in ms
     * @param keyframe whether it is an IDR frame
     * @param size total payload size, &gt;= 6
     * @return a packet of count 1
     */
    public MediaPacket video(long dtsMs, boolean keyframe, int size) {
        byte[] bytes = new byte[size];
        new Random(dtsMs * 31 + size).nextBytes(bytes);
        for (int i = 5; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                bytes[i] = 1; // like real encoder output: no start-code emulation, so Annex-B transports round-trip
            }
        }
        int nal = size - 4;
        bytes[0] = (byte) (nal >>> 24);
        bytes[1] = (byte) (nal >>> 16);
        bytes[2] = (byte) (nal >>> 8);
        bytes[3] = (byte) nal;
        bytes[4] = (byte) (keyframe ? 0x65 : 0x41);
        allocated.incrementAndGet();
        return MediaPacket.of(videoTrack(), dtsMs, dtsMs, keyframe, Payload.wrap(ByteBuffer.wrap(bytes),
                freed::incrementAndGet));
    }

    /**
     * @param dtsMs decode time in ms
     * @param size payload size
     * @return an audio packet of count 1
     */
    public MediaPacket audio(long dtsMs, int size) {
        return MediaPacket.of(audioTrack(), dtsMs, dtsMs, true, payload(size, dtsMs * 17 + size));
    }

    /** @return payloads created so far */
    public long allocated() {
        return allocated.get();
    }

    /** @return payloads whose last reference was released */
    public long freed() {
        return freed.get();
    }

    /** @return payloads created and not yet freed */
    public long live() {
        return allocated.get() - freed.get();
    }

    /**
     * @param s hex digits
     * @return the bytes
     */
    public static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
