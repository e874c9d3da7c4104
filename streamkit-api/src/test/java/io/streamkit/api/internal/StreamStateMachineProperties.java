package io.streamkit.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Payload;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any interleaving of publish, send, subscribe, unsubscribe, slow consumption, publisher loss,
 * grace expiry, take-over and close keeps the stream's promises: no payload leaks; every
 * subscriber starts at a keyframe, sees each track's timestamps in order (also across publisher
 * changes), and never a frame whose predecessor in its GOP it missed; fast subscribers drop
 * nothing.
 */
class StreamStateMachineProperties {
    private static final TrackInfo VIDEO = TrackInfo.builder(0, Codec.H264).build();
    private static final TrackInfo AUDIO = TrackInfo.builder(1, Codec.AAC).build();

    enum Op {
        PUBLISH, TAKE_OVER, SEND_KEY, SEND_VIDEO, SEND_AUDIO, SUBSCRIBE_FAST, SUBSCRIBE_SLOW, DRAIN_SLOW, UNSUBSCRIBE, UNPUBLISH, EXPIRE_GRACE
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.PUBLISH)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Op.TAKE_OVER)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Op.SEND_KEY)),
                net.jqwik.api.Tuple.of(20, Arbitraries.just(Op.SEND_VIDEO)),
                net.jqwik.api.Tuple.of(10, Arbitraries.just(Op.SEND_AUDIO)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.SUBSCRIBE_FAST)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.SUBSCRIBE_SLOW)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Op.DRAIN_SLOW)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.UNSUBSCRIBE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.UNPUBLISH)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Op.EXPIRE_GRACE)))
                .list().ofMinSize(1).ofMaxSize(300);
    }

    /** A sink that checks ordering as packets arrive. */
    static final class CheckingSink implements MediaSink {
        final boolean fast;
        final List<String> violations = new ArrayList<>();
        final long[] lastDts = {Long.MIN_VALUE, Long.MIN_VALUE};
        boolean sawPacket;
        long lastVideoSeq = -1;

        CheckingSink(boolean fast) {
            this.fast = fast;
        }

        @Override
        public void onTracks(List<TrackInfo> tracks) {
        }

        @Override
        public void onPacket(MediaPacket p) {
            if (!sawPacket && !(p.mediaType() == MediaType.VIDEO && p.isKeyframe())) {
                violations.add("first packet is not a video keyframe: " + p);
            }
            sawPacket = true;
            if (p.dts() < lastDts[p.trackId()]) {
                violations.add("dts went back on track " + p.trackId() + ": " + lastDts[p.trackId()] + " -> " + p
                        .dts());
            }
            lastDts[p.trackId()] = p.dts();
            if (p.mediaType() == MediaType.VIDEO) {
                long seq = p.payload().nioBuffer().getLong(0);
                if (!p.isKeyframe() && seq != lastVideoSeq + 1) {
                    violations.add("video frame " + seq + " delivered after " + lastVideoSeq + " (gap inside a GOP)");
                }
                lastVideoSeq = seq;
            }
        }
    }

    /** An executor the test drains by hand: a slow consumer. */
    static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runSome(int n) {
            for (int i = 0; i < n && !tasks.isEmpty(); i++) {
                tasks.poll().run();
            }
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Property(tries = 300)
    void streamKeepsItsPromises(@ForAll("ops") List<Op> ops) {
        AtomicLong allocated = new AtomicLong();
        AtomicLong freed = new AtomicLong();
        ManualExecutor slowExec = new ManualExecutor();
        try (StreamKit kit = StreamKit.builder().callbackExecutor(Runnable::run).publisherGracePeriod(Duration
                .ofHours(1)).gopCacheMaxBytes(64 * 16).build()) {
            DefaultStream stream = (DefaultStream) kit.stream("prop/stream");
            List<Publisher> publishers = new ArrayList<>();
            List<Subscription> subs = new ArrayList<>();
            List<CheckingSink> subSinks = new ArrayList<>();
            List<CheckingSink> sinks = new ArrayList<>();
            long seq = 0;
            long videoSeq = 0;
            long time = 0;
            for (Op op : ops) {
                Publisher current = publishers.isEmpty() ? null : publishers.get(publishers.size() - 1);
                switch (op) {
                    case PUBLISH, TAKE_OVER -> {
                        try {
                            publishers.add(stream.publish(List.of(VIDEO, AUDIO), op == Op.PUBLISH
                                    ? PublishPolicy.REJECT
                                    : PublishPolicy.TAKE_OVER, "p"));
                            // a new publisher's clock starts anywhere
                            time = (seq * 7919) % 5000;
                        } catch (io.streamkit.api.PublishRejectedException expected) {
                            assertTrue(current != null && current.isActive(), "rejected only while one is live");
                        }
                    }
                    case SEND_KEY, SEND_VIDEO, SEND_AUDIO -> {
                        if (current != null) {
                            time += 10;
                            boolean video = op != Op.SEND_AUDIO;
                            seq++;
                            ByteBuffer b = ByteBuffer.allocate(16).putLong(0, video ? videoSeq++ : -1);
                            allocated.incrementAndGet();
                            Payload payload = Payload.wrap(b, freed::incrementAndGet);
                            current.send(MediaPacket.of(video ? VIDEO : AUDIO, time, time, op != Op.SEND_VIDEO,
                                    payload));
                        }
                    }
                    case SUBSCRIBE_FAST, SUBSCRIBE_SLOW -> {
                        boolean fast = op == Op.SUBSCRIBE_FAST;
                        CheckingSink sink = new CheckingSink(fast);
                        sinks.add(sink);
                        subSinks.add(sink);
                        subs.add(stream.subscribe(sink, fast
                                ? SubscribeOptions.on(Runnable::run)
                                : SubscribeOptions.on(slowExec).withQueueCapacity(4)));
                    }
                    case DRAIN_SLOW -> slowExec.runSome(3);
                    case UNSUBSCRIBE -> {
                        if (!subs.isEmpty()) {
                            subs.remove(0).close();
                            subSinks.remove(0);
                            slowExec.runAll();
                        }
                    }
                    case UNPUBLISH -> {
                        if (current != null) {
                            current.close();
                        }
                    }
                    case EXPIRE_GRACE -> stream.expireGraceNow();
                    default -> throw new AssertionError(op);
                }
            }
            for (int i = 0; i < subs.size(); i++) {
                if (subSinks.get(i).fast) {
                    assertEquals(0, subs.get(i).stats().packetsDropped(), "a fast subscriber dropped packets");
                }
            }
            slowExec.runAll();
            for (CheckingSink sink : sinks) {
                assertEquals(List.of(), sink.violations);
            }
        }
        slowExec.runAll();
        assertEquals(allocated.get(), freed.get(), "every payload released after close");
    }
}
