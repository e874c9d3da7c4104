package io.streamkit.examples;

import io.streamkit.api.Output;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.Uris;
import io.streamkit.compositor.program.Compositor;
import io.streamkit.compositor.program.CompositorStats;
import io.streamkit.compositor.program.EncoderSettings;
import io.streamkit.compositor.scene.ImageLayer;
import io.streamkit.compositor.scene.LayerProperties;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.ScaleMode;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.FfmpegSource;
import io.streamkit.compositor.source.MediaSource;
import io.streamkit.compositor.source.StreamSource;
import io.streamkit.compositor.source.TestPatternSource;
import io.streamkit.examples.studio.StudioControlServer;
import io.streamkit.examples.studio.StudioController;
import io.streamkit.relay.Relay;
import io.streamkit.relay.record.RecordedFile;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.webrtc.sfu.SfuServer;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The studio: composes a test pattern, up to four sources given as URLs, an image logo and a lower
 * third into one program, encodes it once and sends it to RTMP/SRT destinations while recording
 * an MP4, with a control page (layout, show/hide, mute, gain, lower third) and its preview.
 */
@Command(name = "studio", mixinStandardHelpOptions = true, description = "Composes sources, a logo and a lower "
        + "third into one program, streams it and records it; control page at http://host:PORT/.")
public final class StudioApp implements Callable<Integer> {

    /** The stream path the program is published to. */
    static final String PROGRAM = "studio/program";

    /** Where guests of the SFU are bridged: {@code guests/{room}/{user}}. */
    static final String GUESTS = "guests/";

    /** The most guests added to the scene. */
    static final int MAX_GUESTS = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "WxH", description = "Canvas size (default: ${DEFAULT-VALUE}).")
    String size = "1280x720";

    @Option(names = "--fps", description = "Frame rate (default: ${DEFAULT-VALUE}).")
    double fps = 30;

    @Option(names = "--source", paramLabel = "URL", description = "A file or any URL FFmpeg opens (rtmp, srt, "
            + "rtsp, http, hls); files loop; repeatable, at most 4.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--image", paramLabel = "FILE", description = "A PNG or JPEG logo, drawn top right.")
    Path image;

    @Option(names = "--text", description = "The lower third (default: ${DEFAULT-VALUE}).")
    String text = "StreamKit Studio";

    @Option(names = "--output", paramLabel = "URL", description = "An rtmp://, rtmps:// or srt:// destination; "
            + "repeatable.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--record", paramLabel = "FILE", description = "Record the program to this MP4 file.")
    Path record;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds "
            + "(default: run until Ctrl+C).")
    double duration;

    @Option(names = "--host", description = "Interface of the control page and the embedded servers "
            + "(default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--http-port", description = "Control page port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort = 8081;

    @Option(names = "--rtmp-port", description = "Also serve the program at rtmp://host:PORT/studio/program; "
            + "0 picks a free port, -1 disables (default: ${DEFAULT-VALUE}).")
    int rtmpPort = -1;

    @Option(names = "--bitrate", paramLabel = "KBITS", description = "Video bitrate in kbit/s (default: "
            + "${DEFAULT-VALUE}).")
    int bitrateKbps = 4000;

    @Option(names = "--gop", paramLabel = "FRAMES", description = "Keyframe interval (default: ${DEFAULT-VALUE}).")
    int gop = 60;

    @Option(names = "--layout", description = "Layout at start: solo, side-by-side, grid, picture-in-picture, "
            + "speaker-strip (default: side-by-side with two or more shown sources, else solo).")
    String layout;

    @Option(names = "--sfu-port", description = "Let remote guests join over WebRTC: the SFU's page and signaling "
            + "on this port (guests open http://host:PORT/?room=studio); 0 picks a free port, -1 disables "
            + "(default: ${DEFAULT-VALUE}).")
    int sfuPort = -1;

    @Option(names = "--sfu-udp-port", description = "The SFU's media UDP port; 0 picks a free one (default: "
            + "${DEFAULT-VALUE}).")
    int sfuUdpPort = 0;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", description = "Print the program's figures every "
            + "so often; 0 disables (default: ${DEFAULT-VALUE}).")
    int statsInterval = 5;

    @Override
    public Integer call() throws Exception {
        int[] wh = parseSize();
        if (sources.size() > 4) {
            throw new CommandLine.ParameterException(spec.commandLine(), "at most 4 --source, got " + sources.size());
        }
        if (fps <= 0 || fps > 120) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fps must be in (0, 120], got " + fps);
        }
        for (String o : outputs) {
            String scheme = URI.create(o).getScheme();
            if (scheme == null || !List.of("rtmp", "rtmps", "srt").contains(scheme)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--output must be an rtmp://, rtmps:// "
                        + "or srt:// URL, got '" + o + "'");
            }
        }
        int w = wh[0];
        int h = wh[1];
        Scene scene = baseScene(w, h);
        Map<String, String> labels = new LinkedHashMap<>();
        List<MediaSource> media = new ArrayList<>();
        media.add(TestPatternSource.builder("pattern").size(w, h).frameRate(fps).tone(sources.isEmpty()).build());
        labels.put("pattern", "test pattern");
        for (int i = 0; i < sources.size(); i++) {
            String url = sources.get(i);
            String id = "source" + (i + 1);
            boolean file = isFile(url);
            FfmpegSource.Builder b = FfmpegSource.builder(id, url).loop(file);
            if (!file) {
                b.reconnect(ReconnectPolicy.DEFAULT);
            }
            media.add(b.build());
            labels.put(id, file ? Path.of(url).getFileName().toString() : Uris.redact(URI.create(url)));
        }
        List<String> shown = sources.isEmpty()
                ? List.of("pattern")
                : new ArrayList<>(labels.keySet()).subList(1,
                        labels.size());
        String startLayout = layout != null ? layout : shown.size() >= 2 ? "side-by-side" : "solo";
        if (!StudioController.LAYOUTS.contains(startLayout)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layout must be one of "
                    + StudioController.LAYOUTS + ", got '" + startLayout + "'");
        }
        scene = withVideo(scene, new ArrayList<>(labels.keySet()));

        StreamKit kit = StreamKit.builder().build();
        Relay relay = Relay.on(kit);
        Path recordDir = null;
        StudioControlServer control = null;
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            if (rtmpPort >= 0) {
                var rtmp = relay.rtmp(b -> b.host(host).port(rtmpPort));
                System.out.printf("Program:    rtmp://%s:%d/%s%n", host, rtmp.localAddress().getPort(), PROGRAM);
            }
            SfuServer sfu = null;
            if (sfuPort >= 0) {
                sfu = SfuServer.builder().host(host).httpPort(sfuPort).udpPort(sfuUdpPort).clientPage(true)
                        .bridgeTo(kit, (room, user) -> GUESTS + room + "/" + user).build().start();
                System.out.printf("Guests:     http://%s:%d/?room=studio   (WebRTC, up to %d guests)%n", host, sfu
                        .signalingAddress().getPort(), MAX_GUESTS);
            }
            Compositor.Builder cb = Compositor.builder(kit).scene(scene).encoder(EncoderSettings.DEFAULT
                    .withVideoBitrate(bitrateKbps * 1000L).withGop(gop)).publishTo(PROGRAM);
            media.forEach(cb::source);
            Compositor program = cb.start();
            StudioController controller = new StudioController(program, labels, shown, startLayout);
            if (sfu != null) {
                acceptGuests(kit, program, controller);
            }
            for (String o : outputs) {
                relay.stream(PROGRAM).push(URI.create(o));
                System.out.printf("Output:     %s%n", Uris.redact(URI.create(o)));
            }
            Output recording = null;
            if (record != null) {
                Path parent = record.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                recordDir = Files.createTempDirectory(parent, ".studio-recording-");
                recording = relay.stream(PROGRAM).record(RecordingOptions.mp4(recordDir).finalizeMp4(true));
                System.out.printf("Recording:  %s%n", record);
            }
            control = new StudioControlServer(host, httpPort, controller, program::previewJpeg);
            System.out.printf("Control:    http://%s:%d/%n", host, control.address().getPort());
            System.out.printf("Program:    %dx%d at %s fps, %d kbit/s, layout %s%n", w, h, fps, bitrateKbps,
                    startLayout);
            Thread stats = statsThread(program, stopped);
            Output rec = recording;
            Path recDir = recordDir;
            StudioControlServer ctl = control;
            SfuServer guestServer = sfu;
            Runnable shutdown = () -> {
                if (closed.compareAndSet(false, true)) {
                    ctl.close();
                    stats.interrupt();
                    if (guestServer != null) {
                        guestServer.close();
                    }
                    program.close();
                    if (rec != null) {
                        rec.closeAsync().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
                    }
                    kit.close();
                    if (recDir != null) {
                        moveRecording(recDir);
                    }
                    stopped.countDown();
                }
            };
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "shutdown"));
            if (duration > 0) {
                if (!stopped.await((long) (duration * 1000), TimeUnit.MILLISECONDS)) {
                    System.out.println("Duration reached, stopping.");
                    CompositorStats s = program.stats();
                    shutdown.run();
                    printStats(s);
                }
            } else {
                System.out.println("Press Ctrl+C to stop.");
                stopped.await();
            }
            return 0;
        } catch (RuntimeException | IOException e) {
            if (control != null) {
                control.close();
            }
            kit.close();
            throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Adds each guest bridged from the SFU's room "studio" as a source when it starts publishing. */
    private static void acceptGuests(StreamKit kit, Compositor program, StudioController controller) {
        java.util.Set<String> added = java.util.concurrent.ConcurrentHashMap.newKeySet();
        kit.addListener(e -> {
            if (e instanceof StreamKitEvent.StreamPublished p && p.path().startsWith(GUESTS + "studio/")) {
                String user = p.path().substring((GUESTS + "studio/").length());
                String id = "guest-" + user;
                if (added.size() >= MAX_GUESTS || !added.add(id)) {
                    return;
                }
                try {
                    StreamSource guest = StreamSource.builder(id, kit.stream(p.path())).build();
                    program.addSource(guest);
                    controller.addSource(id, "guest " + user);
                    System.out.printf("Guest %s joined: source %s%n", user, id);
                } catch (RuntimeException ex) {
                    added.remove(id);
                    System.out.printf("Guest %s could not be added: %s%n", user, ex.getMessage());
                }
            }
        });
    }

    private Thread statsThread(Compositor program, CountDownLatch stopped) {
        Thread t = new Thread(() -> {
            try {
                while (statsInterval > 0 && !stopped.await(statsInterval, TimeUnit.SECONDS)) {
                    printStats(program.stats());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "studio-stats");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void printStats(CompositorStats s) {
        System.out.printf("frames composed %d, encoded %d, dropped %d, ticks skipped %d; render p50 %.1f ms, "
                + "encode p50 %.1f / p99 %.1f ms; %.1f MB published%n", s.framesComposed(), s.framesEncoded(),
                s.framesDropped(), s.ticksSkipped(), s.renderMillisP50(), s.encodeMillisP50(), s.encodeMillisP99(),
                s.bytesPublished() / 1e6);
    }

    private void moveRecording(Path dir) {
        List<RecordedFile> files = RecordedFile.list(dir, PROGRAM);
        RecordedFile newest = files.stream().max(Comparator.comparing(RecordedFile::start)).orElse(null);
        try {
            if (newest == null) {
                System.out.println("Nothing was recorded.");
            } else {
                Files.move(newest.path(), record, StandardCopyOption.REPLACE_EXISTING);
                System.out.printf("Recorded %s (%.1f s, %.1f MB)%n", record, newest.duration().toMillis() / 1000.0,
                        newest.size() / 1e6);
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            System.out.printf("Could not move the recording from %s to %s: %s%n", dir, record, e.getMessage());
        }
    }

    private Scene baseScene(int w, int h) throws IOException {
        Scene.Builder b = Scene.builder(w, h).frameRate(fps).background(new Color(0x10, 0x12, 0x18));
        if (image != null) {
            byte[] bytes = Files.readAllBytes(image);
            int lw = w / 6;
            int lh = h / 6;
            ImageLayer logo = ImageLayer.decode("logo", bytes, new Rect(w - lw - w / 40, h / 40, lw, lh));
            b.addLayer(logo.withProperties(logo.properties().withScaleMode(ScaleMode.FIT).withZOrder(10)));
        }
        int th = Math.max(24, h / 12);
        TextLayer lower = TextLayer.of(StudioController.LOWER_THIRD, text.isEmpty() ? " " : text, new Rect(w / 20,
                h - th - h / 12, w * 6 / 10, th)).withFont("SansSerif", Math.max(12, th * 6 / 10), true).withBox(
                        new Color(0, 0, 0, 170), Math.max(4, th / 6))
                .withOutline(Color.BLACK, 1);
        b.addLayer(lower.withProperties(LayerProperties.of(lower.properties().bounds()).withZOrder(20).withVisible(
                !text.isEmpty())));
        return b.build();
    }

    private static Scene withVideo(Scene scene, List<String> ids) {
        Scene.Builder b = scene.toBuilder();
        for (String id : ids) {
            b.addLayer(VideoLayer.of(id, new Rect(0, 0, scene.width(), scene.height())));
        }
        return b.build();
    }

    private int[] parseSize() {
        String[] p = size.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0]);
                int h = Integer.parseInt(p[1]);
                if (w >= 16 && h >= 16 && w <= 7680 && h <= 4320 && w % 2 == 0 && h % 2 == 0) {
                    return new int[]{w, h};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--size must be WIDTHxHEIGHT with even numbers "
                + "from 16x16 to 7680x4320, got '" + size + "'");
    }

    private static boolean isFile(String url) {
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return url.startsWith("file://");
        }
        return Files.isRegularFile(Path.of(url));
    }
}
