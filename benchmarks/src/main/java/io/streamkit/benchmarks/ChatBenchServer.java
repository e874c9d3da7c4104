package io.streamkit.benchmarks;

import io.netty.util.internal.PlatformDependent;
import io.streamkit.relay.audience.Audience;
import io.streamkit.relay.audience.AudienceServer;
import io.streamkit.relay.audience.AudienceStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server side of {@link ChatHarness}, run in its own JVM so that its heap, resident memory
 * and CPU time belong to the server alone. Two kinds:
 * <ul>
 *   <li>{@code streamkit HOST IO_THREADS}: StreamKit's {@link AudienceServer} on path
 *       {@code /audience} over an {@link Audience} with a history of 50 messages and a chat rate
 *       limit of 1,000 messages per second per user (the default of 5 per 5 s would refuse the
 *       senders of the benchmark); everything else is the default;</li>
 *   <li>{@code baseline HOST IO_THREADS}: the anchor, {@link BroadcastBaselineServer}.</li>
 * </ul>
 * Prints {@code READY port=P pid=PID} when bound, then reads commands on standard input, one a
 * line: {@code heap} runs three full collections and prints {@code HEAP used=B direct=B
 * nettyDirect=B} (heap used after them, the JDK's direct buffers, Netty's direct memory);
 * {@code stats} prints one {@code STATS key=value...} line (counters, and the heap in use now,
 * garbage included); {@code quit} or the end of input stops
 * the server.
 */
public final class ChatBenchServer {
    private ChatBenchServer() {
    }

    /**
     * @param args the kind, the address to bind and the I/O thread count (see the class comment)
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("streamkit") || args[0].equals("baseline"))) {
            System.err.println("usage: streamkit|baseline HOST IO_THREADS");
            System.exit(2);
        }
        String host = args[1];
        int threads = Integer.parseInt(args[2]);
        if (args[0].equals("streamkit")) {
            Audience audience = Audience.builder().historySize(50).chatRateLimit(1000, Duration.ofSeconds(1)).build();
            AudienceServer server = AudienceServer.builder(audience).bind(host, 0).path("/audience").ioThreads(threads)
                    .start();
            try {
                ready(server.port());
                commands(() -> {
                    AudienceStats a = audience.stats();
                    AudienceServer.Stats s = server.stats();
                    return "open=" + s.openConnections() + " chatMessages=" + a.chatMessages() + " deliveries="
                            + a.deliveries() + " slowClosed=" + s.slowConsumersClosed() + " badFrames="
                            + s.badFrames() + " errors=" + a.errors().toString().replace(' ', '_') + heapNow();
                });
            } finally {
                server.close();
                audience.close();
            }
        } else {
            try (BroadcastBaselineServer server = BroadcastBaselineServer.start(host, 0, threads)) {
                ready(server.port());
                commands(() -> server.stats() + heapNow());
            }
        }
    }

    private static void ready(int port) {
        System.out.printf("READY port=%d pid=%d%n", port, ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void commands(Supplier<String> stats) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "stats" -> System.out.println("STATS " + stats.get());
                case "heap" -> System.out.println("HEAP " + heapAfterGc());
                case "quit" -> {
                    return;
                }
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }

    private static String heapNow() {
        return " heapUsedNow=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        return "used=" + used + " direct=" + direct + " nettyDirect=" + PlatformDependent.usedDirectMemory();
    }
}
