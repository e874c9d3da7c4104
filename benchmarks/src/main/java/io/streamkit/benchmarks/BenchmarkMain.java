package io.streamkit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.profile.GCProfiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a benchmark suite and prints StreamKit's figures beside the anchor measured in the same
 * run, as ratios. Usage: {@code java -jar benchmarks/target/benchmarks.jar fanout [quick]} or
 * {@code java -jar benchmarks/target/benchmarks.jar rtmp-fanout [N...]} or
 * {@code java -jar benchmarks/target/benchmarks.jar srt-relay [WARMUP_S MEASURE_S]} or
 * {@code java -jar benchmarks/target/benchmarks.jar record-20 [WARMUP_S MEASURE_S [STREAMS]]} or
 * {@code java -jar benchmarks/target/benchmarks.jar hls-latency [SECONDS]} or
 * {@code java -jar benchmarks/target/benchmarks.jar srtp [quick]} or
 * {@code java -jar benchmarks/target/benchmarks.jar sfu-forwarding [N...] [--pps P] [--measure S] ...} or
 * {@code java -jar benchmarks/target/benchmarks.jar chat [--clients N] [--rate R] [--seconds S] ...}
 * (from the repository root).
 */
public final class BenchmarkMain {
    private static final Logger log = LoggerFactory.getLogger(BenchmarkMain.class);

    private BenchmarkMain() {
    }

    /**
     * @param args the suite name ({@code fanout}, {@code rtmp-fanout}, {@code srt-relay}, {@code record-20},
     *        {@code hls-latency}, {@code srtp}, {@code sfu-forwarding}, {@code chat}) and its arguments
     * @throws RunnerException when JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        String suite = args.length > 0 ? args[0] : "fanout";
        boolean quick = args.length > 1 && args[1].equals("quick");
        if (suite.equals("rtmp-fanout")) {
            List<Integer> counts = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                counts.add(Integer.parseInt(args[i]));
            }
            try {
                RtmpFanOutHarness.run(counts.isEmpty() ? List.of(1, 10, 100, 500) : counts, java.nio.file.Path.of(
                        "streamkit-examples/target/streamkit-examples.jar"), 10);
            } catch (Exception e) {
                throw new IllegalStateException("rtmp-fanout failed", e);
            }
            return;
        }
        if (suite.equals("srt-relay")) {
            int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
            int measure = args.length > 2 ? Integer.parseInt(args[2]) : 20;
            try {
                SrtRelayHarness.run(java.nio.file.Path.of("streamkit-examples/target/streamkit-examples.jar"), warmup,
                        measure);
            } catch (Exception e) {
                throw new IllegalStateException("srt-relay failed", e);
            }
            return;
        }
        if (suite.equals("record-20")) {
            int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
            int measure = args.length > 2 ? Integer.parseInt(args[2]) : 30;
            int streams = args.length > 3 ? Integer.parseInt(args[3]) : 20;
            try {
                RecordingHarness.run(java.nio.file.Path.of("streamkit-examples/target/streamkit-examples.jar"),
                        streams, warmup, measure);
            } catch (Exception e) {
                throw new IllegalStateException("record-20 failed", e);
            }
            return;
        }
        if (suite.equals("hls-latency")) {
            try {
                HlsLatencyHarness.run(args.length > 1 ? Integer.parseInt(args[1]) : 90);
            } catch (Exception e) {
                throw new IllegalStateException("hls-latency failed", e);
            }
            return;
        }
        if (suite.equals("compositor")) {
            try {
                List<int[]> sizes = new java.util.ArrayList<>();
                int warmup = 8;
                int seconds = 20;
                for (int i = 1; i < args.length; i++) {
                    if (args[i].equals("--warmup")) {
                        warmup = Integer.parseInt(args[++i]);
                    } else if (args[i].equals("--measure")) {
                        seconds = Integer.parseInt(args[++i]);
                    } else {
                        String[] wh = args[i].split("x");
                        sizes.add(new int[]{Integer.parseInt(wh[0]), Integer.parseInt(wh[1])});
                    }
                }
                if (sizes.isEmpty()) {
                    sizes = List.of(new int[]{1280, 720}, new int[]{1920, 1080});
                }
                CompositorHarness.run(sizes, warmup, seconds);
            } catch (Exception e) {
                throw new IllegalStateException("compositor failed", e);
            }
            return;
        }
        if (suite.equals("sfu-forwarding")) {
            try {
                SfuForwardingHarness.run(List.of(args).subList(1, args.length));
            } catch (Exception e) {
                throw new IllegalStateException("sfu-forwarding failed", e);
            }
            return;
        }
        if (suite.equals("chat") || suite.equals("chat-5000")) {
            try {
                ChatHarness.run(List.of(args).subList(1, args.length));
            } catch (Exception e) {
                throw new IllegalStateException("chat failed", e);
            }
            return;
        }
        if (suite.equals("srtp")) {
            runSrtp(quick);
            return;
        }
        if (!suite.equals("fanout")) {
            log.error("unknown suite '{}'; known: fanout, rtmp-fanout, srt-relay, record-20, hls-latency, srtp, "
                    + "sfu-forwarding, chat",
                    suite);
            System.exit(2);
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(FanOutBenchmark.class.getSimpleName())
                .addProfiler(GCProfiler.class);
        if (quick) {
            options.warmupIterations(1).measurementIterations(2);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String subs = r.getParams().getParam("subscribers");
            double opsPerSec = r.getPrimaryResult().getScore();
            double allocPerOp = r.getSecondaryResults().get("gc.alloc.rate.norm").getScore();
            byKey.put(bench.substring(bench.lastIndexOf('.') + 1) + "@" + subs, new double[]{opsPerSec,
                    allocPerOp});
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-12s %16s %16s %14s %16s %16s %14s", "subscribers", "stream pkt/s",
                "baseline pkt/s", "speed ratio", "stream B/pkt", "baseline B/pkt", "alloc ratio"));
        for (String subs : List.of("1", "10", "100", "1000")) {
            double[] s = byKey.get("streamFanOut@" + subs);
            double[] b = byKey.get("copyPerSubscriberBaseline@" + subs);
            if (s == null || b == null) {
                continue;
            }
            rows.add(String.format("%-12s %16.0f %16.0f %14.2f %16.1f %16.1f %14.4f", subs, s[0], b[0], s[0] / b[0],
                    s[1], b[1], s[1] / b[1]));
        }
        log.info("Fan-out: one publisher, N subscribers, 1400-byte packets (ratio = stream / baseline)\n{}", String
                .join("\n", rows));
    }
    /** Runs {@link SrtpBenchmark} and prints each relay figure beside the two anchors of the same run. */
    private static void runSrtp(boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(SrtpBenchmark.class.getSimpleName())
                .addProfiler(GCProfiler.class);
        if (quick) {
            options.warmupIterations(2).measurementIterations(3);
        }
        Map<String, double[]> byKey = new LinkedHashMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String bench = r.getParams().getBenchmark();
            String profile = r.getParams().getParam("profile");
            byKey.put(bench.substring(bench.lastIndexOf('.') + 1) + (profile == null ? "" : "@" + profile),
                    new double[]{r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), r
                            .getSecondaryResults().get("gc.alloc.rate.norm").getScore()});
        }
        double[] copy = byKey.get("copyBaseline");
        double[] ctr = byKey.get("aesCtrBaseline");
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-34s %14s %12s %10s %14s %16s", "benchmark", "packets/s", "error", "B/packet",
                "vs copy", "vs AES-CTR pass"));
        for (Map.Entry<String, double[]> e : byKey.entrySet()) {
            double[] v = e.getValue();
            rows.add(String.format("%-34s %14.0f %12.0f %10.1f %14.4f %16.3f", e.getKey(), v[0], v[1], v[2],
                    copy == null ? Double.NaN : v[0] / copy[0], ctr == null ? Double.NaN : v[0] / ctr[0]));
        }
        log.info(
                "SRTP: unprotect + rewrite + protect of a 1,200-byte RTP packet (ratio = packets/s over the anchor's)\n{}",
                String.join("\n", rows));
    }
}
