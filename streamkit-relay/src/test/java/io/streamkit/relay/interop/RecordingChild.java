package io.streamkit.relay.interop;

import io.streamkit.api.OutputConfig;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.relay.record.RecordingFormat;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A relay process for {@link RecordingKillIT}: a kit with an RTMP server on an ephemeral port of
 * 127.0.0.1 that records every published path (without finalization, so the growing file is what
 * remains when the process is killed). When ready it writes its port to a file, then runs until
 * it is killed.
 *
 * <p>Arguments: the recording root, the format ({@code mp4} or {@code ts}) and the port file.
 */
public final class RecordingChild {

    private RecordingChild() {
    }

    /**
     * @param args recording root, format, port file
     * @throws Exception when the relay cannot start
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        RecordingOptions options = RecordingOptions.mp4(root).format(RecordingFormat.fromUriValue(args[1]));
        Path portFile = Path.of(args[2]);
        AtomicReference<StreamKit> kitRef = new AtomicReference<>();
        StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).listener(e -> {
            if (e instanceof StreamKitEvent.StreamPublished p && kitRef.get() != null) {
                kitRef.get().findStream(p.path()).ifPresent(s -> {
                    if (s.outputs().isEmpty()) {
                        s.addOutput(OutputConfig.of(options.toUri()));
                    }
                });
            }
        }).build();
        kitRef.set(kit);
        int port = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(port));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
