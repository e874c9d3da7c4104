package io.streamkit.relay.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a stream's old recordings by age and by total size, never the file just written. */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private Retention() {
    }

    static void apply(Path streamDir, RecordingOptions options, Path keep) {
        if (options.keep().isZero() && options.keepBytes() == 0) {
            return;
        }
        List<RecordedFile> files = RecordedFile.list(streamDir.getParent(), streamDir.getFileName().toString());
        Instant cutoff = Instant.now().minus(options.keep());
        long total = files.stream().mapToLong(RecordedFile::size).sum();
        for (RecordedFile f : files) {
            if (f.path().equals(keep)) {
                continue;
            }
            boolean tooOld = !options.keep().isZero() && f.lastWrite().isBefore(cutoff);
            boolean tooBig = options.keepBytes() > 0 && total > options.keepBytes();
            if (tooOld || tooBig) {
                try {
                    Files.deleteIfExists(f.path());
                    total -= f.size();
                    log.info("retention deleted {} ({})", f.path(), tooOld
                            ? "older than " + options.keep()
                            : "over " + options.keepBytes() + " bytes");
                } catch (IOException e) {
                    log.warn("retention cannot delete {}: {}", f.path(), e.getMessage());
                }
            }
        }
    }
}
