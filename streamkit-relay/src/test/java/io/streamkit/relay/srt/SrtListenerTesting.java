package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.streamkit.api.ConnectionState;
import io.streamkit.api.Endpoint;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.Publisher;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.ts.TsDemuxer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Helpers of the listener-mode tests: callers that demux what they pull, media, waiting. */
final class SrtListenerTesting {
    static final String PASSPHRASE = "0123456789abc";
    static final Duration T = Duration.ofSeconds(20);

    private SrtListenerTesting() {
    }

    /**
     * @return a UDP port free right now on the loopback, below the ephemeral range (32768 and up
     *         on Linux), so that no other program's socket takes it after a test frees it
     */
    static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 100; i++) {
            int port = 20_000 + random.nextInt(12_000);
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(InetAddress
                    .getLoopbackAddress(), port))) {
                return s.getLocalPort();
            } catch (java.net.SocketException e) {
                // taken: try another
            }
        }
        throw new AssertionError("no free UDP port in [20000, 32000)");
    }

    /**
     * Waits until the port can be bound again: the JDK releases the socket of a closed channel when
     * its event loop next polls its selector, a moment after the close.
     *
     * @param port a loopback UDP port
     */
    static void awaitPortFree(int port) {
        RecordingSink.await(Duration.ofSeconds(5), () -> {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(InetAddress
                    .getLoopbackAddress(), port))) {
                return s.isBound();
            } catch (java.net.SocketException e) {
                return false;
            }
        }, "UDP port " + port + " to be free");
    }

    /** What a caller pulled, demuxed; the packets are reduced to a summary and released at once. */
    static final class Pulled implements TsDemuxer.Listener {
        record Got(boolean video, long dtsMillis, boolean keyframe, int size) {
        }

        private final List<List<TrackInfo>> tracks = new ArrayList<>();
        private final List<Got> packets = new ArrayList<>();

        @Override
        public synchronized void onTracks(List<TrackInfo> t) {
            tracks.add(t);
        }

        @Override
        public synchronized void onPacket(MediaPacket p) {
            try {
                packets.add(new Got(p.mediaType() == MediaType.VIDEO, MediaPacket.rescale(p.dts(), p.timescale(),
                        1000), p.isKeyframe(), p.size()));
            } finally {
                p.release();
            }
        }

        synchronized List<TrackInfo> lastTracks() {
            return tracks.isEmpty() ? List.of() : tracks.get(tracks.size() - 1);
        }

        synchronized List<Got> video() {
            return packets.stream().filter(Got::video).toList();
        }

        synchronized List<Got> audio() {
            return packets.stream().filter(g -> !g.video()).toList();
        }

        /**
         * @param c a connected caller
         * @return this, receiving what the caller gets
         */
        Pulled attach(SrtConnection c) {
            c.setHandler(new SrtTsReader(this, "test caller", () -> {
            }));
            return this;
        }
    }

    /**
     * Connects a caller to a listener on the loopback.
     *
     * @return the connection
     */
    static SrtConnection call(EventLoopGroup group, int port, String streamId, String passphrase) throws Exception {
        return SrtCaller.connect(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new SrtCaller.Options(streamId, Duration.ofMillis(120), passphrase, 16, Duration.ofSeconds(3))).get(
                        5, TimeUnit.SECONDS);
    }

    /**
     * Connects a caller that the listener must refuse, and checks it was refused quickly (an SRT
     * rejection, not a timeout).
     *
     * @return the rejection
     */
    static SrtRejectedException refused(EventLoopGroup group, int port, String streamId, String passphrase) {
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> call(group, port, streamId, passphrase));
        SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause(), () -> e.getCause()
                .toString());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "rejected, not timed out");
        return r;
    }

    /**
     * Sends media: 30 fps video with a keyframe every second, and AAC frames every 21 ms.
     *
     * @param fromMs the first frame's time
     * @param toMs the end, exclusive
     * @param paced whether to send in real time
     */
    static void send(Publisher pub, TestMedia media, long fromMs, long toMs, boolean paced)
            throws InterruptedException {
        long start = System.nanoTime();
        long audioT = fromMs;
        for (long frame = fromMs * 30 / 1000; frame * 1000 / 30 < toMs; frame++) {
            long t = frame * 1000 / 30;
            while (audioT <= t) {
                pub.send(media.audio(audioT, 200));
                audioT += 21;
            }
            boolean key = frame % 30 == 0;
            pub.send(media.video(t, key, key ? 8_000 : 1_500));
            if (paced) {
                long due = start + TimeUnit.MILLISECONDS.toNanos(t - fromMs);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    static void awaitState(Endpoint e, ConnectionState state) {
        RecordingSink.await(T, () -> e.state() == state, e + " to become " + state + " (is " + e.state()
                + ", last error " + e.stats().lastError() + ")");
    }
}
