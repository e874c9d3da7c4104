package io.streamkit.benchmarks;

import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.Payload;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One publisher to N subscribers, 1,400-byte packets. {@code streamFanOut} goes through a
 * {@link io.streamkit.api.Stream} (one shared payload, a bounded queue per subscriber, drained by
 * each subscriber's executor); {@code copyPerSubscriberBaseline} is the anchor: a plain
 * {@link ArrayBlockingQueue} per subscriber receiving its own copy. Both deliver every packet to
 * every subscriber on the calling thread, so the figures compare the fan-out mechanics only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FanOutBenchmark {
    private static final int PACKET_SIZE = 1400;
    private static final TrackInfo VIDEO = TrackInfo.builder(0, Codec.H264).build();

    /** Subscriber count. */
    @Param({"1", "10", "100", "1000"})
    public int subscribers;

    private StreamKit kit;
    private Publisher publisher;
    private ByteBuffer bytes;
    private long seq;
    private byte[] source;
    private ArrayBlockingQueue<byte[]>[] queues;

    /** A sink that reads one byte of each packet, as a real one would touch the payload. */
    static final class ConsumingSink implements MediaSink {
        final Blackhole bh;

        ConsumingSink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onTracks(List<TrackInfo> tracks) {
        }

        @Override
        public void onPacket(MediaPacket packet) {
            bh.consume(packet.payload().getByte(0));
        }
    }

    /**
     * @param bh the black hole
     */
    @Setup(Level.Trial)
    @SuppressWarnings("unchecked") // generic array of queues for the baseline
    public void setUp(Blackhole bh) {
        kit = StreamKit.builder().callbackExecutor(Runnable::run).publisherGracePeriod(Duration.ZERO)
                .discoverTransports(false).build();
        var stream = kit.stream("bench/fanout");
        publisher = stream.publish(List.of(VIDEO), PublishPolicy.REJECT, "bench");
        for (int i = 0; i < subscribers; i++) {
            stream.subscribe(new ConsumingSink(bh), SubscribeOptions.on(Runnable::run).withLabel("s" + i));
        }
        source = new byte[PACKET_SIZE];
        bytes = ByteBuffer.wrap(source);
        queues = new ArrayBlockingQueue[subscribers];
        for (int i = 0; i < subscribers; i++) {
            queues[i] = new ArrayBlockingQueue<>(SubscribeOptions.DEFAULT_QUEUE_CAPACITY);
        }
    }

    /** Closes the kit. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kit.close();
    }

    /**
     * One packet through the stream to every subscriber.
     *
     * @return whether accepted
     */
    @Benchmark
    public boolean streamFanOut() {
        long s = seq++;
        return publisher.send(MediaPacket.of(VIDEO, s, s, s % 30 == 0, Payload.wrap(bytes, null)));
    }

    /**
     * The anchor: one copy per subscriber into its own queue, then consumed.
     *
     * @param bh the black hole
     */
    @Benchmark
    public void copyPerSubscriberBaseline(Blackhole bh) {
        for (ArrayBlockingQueue<byte[]> q : queues) {
            q.offer(source.clone());
            bh.consume(q.poll()[0]);
        }
    }
}
