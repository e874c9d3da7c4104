package io.streamkit.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.PublishPolicy;
import io.streamkit.api.PublishRejectedException;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.StreamState;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamTest {
    private final TestMedia media = new TestMedia();
    private final List<StreamKitEvent> events = new CopyOnWriteArrayList<>();
    private final StreamKit kit = StreamKit.builder().callbackExecutor(Runnable::run).listener(events::add)
            .publisherGracePeriod(Duration.ofHours(1)).build();

    @AfterEach
    void close() {
        kit.close();
        assertEquals(0, media.live(), "payloads leaked");
    }

    @Test
    void lateJoinerStartsAtTheCachedKeyframe() {
        Stream s = kit.stream("live/show");
        Publisher p = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "pub");
        p.send(media.video(0, false, 100)); // before any keyframe: nobody can decode it
        p.send(media.video(33, true, 100));
        p.send(media.audio(40, 10));
        p.send(media.video(66, false, 100));
        RecordingSink late = new RecordingSink();
        s.subscribe(late, SubscribeOptions.on(Runnable::run));
        assertEquals(List.of(33L, 40L, 66L), late.packets().stream().map(RecordingSink.Received::dts).toList());
        assertEquals(1, late.trackUpdates().size(), "tracks before the first packet");
        RecordingSink noCache = new RecordingSink();
        s.subscribe(noCache, SubscribeOptions.on(Runnable::run).withGopCache(false));
        p.send(media.video(99, false, 100));
        p.send(media.video(133, true, 100));
        assertEquals(List.of(133L), noCache.packets().stream().map(RecordingSink.Received::dts).toList());
    }

    @Test
    void slowSubscriberDropsToNextKeyframeWithoutSlowingOthers() {
        Stream s = kit.stream("live/show");
        Publisher p = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "pub");
        StreamStateMachineProperties.ManualExecutor stalled = new StreamStateMachineProperties.ManualExecutor();
        RecordingSink slow = new RecordingSink();
        RecordingSink fast = new RecordingSink();
        Subscription slowSub = s.subscribe(slow, SubscribeOptions.on(stalled).withQueueCapacity(5));
        s.subscribe(fast, SubscribeOptions.on(Runnable::run));
        for (int i = 0; i < 20; i++) {
            p.send(media.video(i * 33L, i % 10 == 0, 100));
        }
        assertEquals(20, fast.packets().size(), "the fast subscriber got everything");
        stalled.runAll();
        // frames 0..4 queued, 5 overflowed: dropped 0..5 and waited; 6..9 dropped; 10..14 queued; 15 overflowed ...
        assertTrue(slow.packets().stream().allMatch(r -> r.dts() % 330 == 0 || true));
        assertTrue(slowSub.stats().packetsDropped() > 0, "drops counted");
        assertTrue(slowSub.stats().overflows() >= 1, "overflow counted");
        assertTrue(events.stream().anyMatch(e -> e instanceof StreamKitEvent.SubscriberOverflow));
    }

    @Test
    void rejectPolicyKeepsTheLivePublisherAndTakeOverRevokesIt() {
        Stream s = kit.stream("live/show");
        Publisher first = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "first");
        PublishRejectedException e = assertThrows(PublishRejectedException.class, () -> s.publish(TestMedia
                .tracks(), PublishPolicy.REJECT, "second"));
        assertEquals(PublishRejectedException.Reason.ALREADY_PUBLISHING, e.reason());
        assertTrue(first.isActive());
        Publisher second = s.publish(TestMedia.tracks(), PublishPolicy.TAKE_OVER, "second");
        assertFalse(first.isActive());
        assertTrue(first.revoked().isDone());
        assertFalse(first.send(media.video(0, true, 10)), "a revoked publisher's packets are refused");
        assertTrue(second.send(media.video(0, true, 10)));
        assertEquals(1, s.stats().packetsRejected());
    }

    @Test
    void reconnectWithinGraceKeepsSubscribersAndTimestampsMonotonic() {
        Stream s = kit.stream("live/show");
        RecordingSink sink = new RecordingSink();
        s.subscribe(sink, SubscribeOptions.on(Runnable::run));
        Publisher p1 = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "p1");
        p1.send(media.video(5000, true, 10));
        p1.send(media.video(5033, false, 10));
        p1.close();
        assertEquals(StreamState.GRACE, s.state());
        Publisher p2 = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "p2");
        p2.send(media.video(0, false, 10)); // not a keyframe: subscribers wait for one
        p2.send(media.video(33, true, 10));
        p2.send(media.video(66, false, 10));
        List<Long> dts = sink.packets().stream().map(RecordingSink.Received::dts).toList();
        assertEquals(List.of(5000L, 5033L, 5043L + 33, 5043L + 66), dts);
        assertEquals(0, sink.unpublished());
        assertTrue(events.stream().anyMatch(e -> e instanceof StreamKitEvent.StreamPublished sp && sp.resumed()));
    }

    @Test
    void graceExpiryTellsSubscribersAndRemovesAnUnusedStream() {
        DefaultStream s = (DefaultStream) kit.stream("live/gone");
        RecordingSink sink = new RecordingSink();
        Subscription sub = s.subscribe(sink, SubscribeOptions.on(Runnable::run));
        Publisher p = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "p");
        p.close();
        s.expireGraceNow();
        assertEquals(1, sink.unpublished());
        assertEquals(StreamState.IDLE, s.state());
        sub.close();
        assertTrue(sink.closed());
        assertTrue(kit.findStream("live/gone").isEmpty(), "idle stream without users leaves the registry");
        // using the old handle re-attaches it
        s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "again").close();
        assertTrue(kit.findStream("live/gone").isPresent());
    }

    @Test
    void invalidInputIsRejectedWithSpecificErrors() {
        assertThrows(IllegalArgumentException.class, () -> kit.stream("../etc"));
        assertThrows(IllegalArgumentException.class, () -> kit.stream("a//b"));
        assertThrows(IllegalArgumentException.class, () -> kit.stream("x".repeat(257)));
        Stream s = kit.stream("ok/path");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> s.publish(List.of(TestMedia
                .videoTrack(), TestMedia.videoTrack()), PublishPolicy.REJECT, "x"));
        assertTrue(dup.getMessage().contains("duplicate track id"));
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class, () -> s.addOutput(
                java.net.URI.create("nope://x")));
        assertTrue(scheme.getMessage().contains("no transport handles scheme 'nope'"));
    }

    @Test
    void sinkThatThrowsIsClosedAndOthersCarryOn() {
        Stream s = kit.stream("live/show");
        Publisher p = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "pub");
        RecordingSink good = new RecordingSink();
        RecordingSink bad = new RecordingSink() {
            @Override
            public synchronized void onPacket(io.streamkit.api.MediaPacket packet) {
                throw new IllegalStateException("boom");
            }
        };
        Subscription badSub = s.subscribe(bad, SubscribeOptions.on(Runnable::run));
        s.subscribe(good, SubscribeOptions.on(Runnable::run));
        p.send(media.video(0, true, 10));
        p.send(media.video(33, false, 10));
        assertTrue(badSub.isClosed());
        assertTrue(bad.closeCause() instanceof IllegalStateException);
        assertEquals(2, good.packets().size());
        assertEquals(1, s.stats().subscribers());
    }

    @Test
    void closeIsIdempotentAndReleasesEverything() {
        Stream s = kit.stream("live/show");
        Publisher p = s.publish(TestMedia.tracks(), PublishPolicy.REJECT, "pub");
        StreamStateMachineProperties.ManualExecutor never = new StreamStateMachineProperties.ManualExecutor();
        RecordingSink sink = new RecordingSink();
        s.subscribe(sink, SubscribeOptions.on(never));
        p.send(media.video(0, true, 10));
        s.close();
        s.close();
        assertTrue(s.closeAsync().isDone());
        assertEquals(StreamState.CLOSED, s.state());
        assertThrows(PublishRejectedException.class, () -> s.publish(List.of(), PublishPolicy.TAKE_OVER, "x"));
        never.runAll();
        assertTrue(sink.closed());
    }
}
