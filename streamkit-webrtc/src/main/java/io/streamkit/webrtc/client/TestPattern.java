package io.streamkit.webrtc.client;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Generated media: a diagonal luma ramp with a bright square that both move every frame (so that
 * the encoder always has motion to code), and a sine tone as 16-bit PCM.
 */
final class TestPattern {
    private static final int SQUARE = 64;

    private final int width;
    private final int height;
    private final byte[] ramp;
    private final byte[] square = new byte[SQUARE];
    private final byte[] chroma;
    private long frameNumber;

    private final int sampleRate;
    private final double toneHz;
    private final byte[] pcm;
    private final ByteBuffer pcmView;
    private long sampleNumber;

    /**
     * @param width frame width, even
     * @param height frame height, even
     * @param sampleRate audio sample rate in Hz
     * @param samplesPerChunk samples in one audio chunk
     * @param toneHz tone frequency in Hz
     */
    TestPattern(int width, int height, int sampleRate, int samplesPerChunk, double toneHz) {
        this.width = width;
        this.height = height;
        this.ramp = new byte[width + 256];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (16 + (i & 0xFF) * 219 / 255);
        }
        Arrays.fill(square, (byte) 235);
        this.chroma = new byte[width / 2];
        Arrays.fill(chroma, (byte) 128);
        this.sampleRate = sampleRate;
        this.toneHz = toneHz;
        this.pcm = new byte[samplesPerChunk * 2];
        this.pcmView = ByteBuffer.wrap(pcm).order(ByteOrder.nativeOrder());
    }

    /** @return a new frame with the next picture; the caller releases it */
    VideoFrame nextFrame(long timestampNs) {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
        long n = frameNumber++;
        fillLuma(buffer.getDataY(), buffer.getStrideY(), n);
        fillChroma(buffer.getDataU(), buffer.getStrideU());
        fillChroma(buffer.getDataV(), buffer.getStrideV());
        return new VideoFrame(buffer, timestampNs);
    }

    private void fillLuma(ByteBuffer y, int stride, long n) {
        int shift = (int) ((n * 3) & 0xFF);
        int squareX = (int) ((n * 4) % Math.max(1, width - SQUARE));
        int squareY = (int) ((n * 2) % Math.max(1, height - SQUARE));
        int squareWidth = Math.min(SQUARE, width);
        for (int row = 0; row < height; row++) {
            y.position(row * stride);
            y.put(ramp, (row + shift) & 0xFF, width);
            if (row >= squareY && row < squareY + SQUARE) {
                y.position(row * stride + squareX);
                y.put(square, 0, Math.min(squareWidth, width - squareX));
            }
        }
    }

    private void fillChroma(ByteBuffer plane, int stride) {
        for (int row = 0; row < height / 2; row++) {
            plane.position(row * stride);
            plane.put(chroma);
        }
    }

    /** @return the next chunk of the tone, 16-bit mono in native byte order (reused buffer) */
    byte[] nextAudioChunk() {
        int samples = pcm.length / 2;
        for (int i = 0; i < samples; i++) {
            double t = (double) (sampleNumber + i) / sampleRate;
            pcmView.putShort(i * 2, (short) (Math.sin(2 * Math.PI * toneHz * t) * 6000));
        }
        sampleNumber += samples;
        return pcm;
    }

    /** @return samples in one audio chunk */
    int samplesPerChunk() {
        return pcm.length / 2;
    }
}
