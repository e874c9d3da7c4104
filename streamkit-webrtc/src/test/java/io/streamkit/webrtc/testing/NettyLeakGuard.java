package io.streamkit.webrtc.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Makes a Netty buffer leak fail the build: installed for every test engine (JUnit Jupiter and
 * jqwik) through the JUnit Platform's service loader, it records every leak Netty's detector
 * reports and, when the test plan has run, forces a collection and halts the test JVM with exit
 * code 86 if anything leaked, which fails the Maven run. Leak detection runs at {@code paranoid}
 * (set by the build).
 */
public final class NettyLeakGuard implements LauncherSessionListener {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
                return create(resource, samplingInterval);
            }

            @Override
            @SuppressWarnings("deprecation") // the abstract method every factory must still implement
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return create(resource, samplingInterval);
            }

            private <T> ResourceLeakDetector<T> create(Class<T> resource, int samplingInterval) {
                return new ResourceLeakDetector<T>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        LEAKS.add(resourceType + " leaked:" + records);
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.add(resourceType + " leaked (untraced)");
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    /** Creates the listener (by the service loader). */
    public NettyLeakGuard() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        session.getLauncher().registerTestExecutionListeners(new TestExecutionListener() {
            @Override
            public void testPlanExecutionFinished(TestPlan testPlan) {
                checkForLeaks();
            }
        });
    }

    /** Collects garbage, lets the detector poll, and halts the JVM when a leak was reported. */
    static void checkForLeaks() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // every allocation under paranoid detection polls the queue of collected, unreleased buffers
            for (int i = 0; i < 100; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            System.err.println("NETTY BUFFER LEAKS DETECTED (" + LEAKS.size() + "); failing the build:");
            LEAKS.forEach(System.err::println);
            System.err.flush();
            Runtime.getRuntime().halt(86);
        }
    }
}
