package io.streamkit.relay.control.model;

import java.time.Instant;

/**
 * A configured output: one destination of an input.
 *
 * <p>A push output connects to {@code url} ({@code rtmp://}, {@code rtmps://} or {@code srt://} in
 * caller mode). A pull output waits for the destination to connect: {@code srt://0.0.0.0:PORT?mode=listener}.
 *
 * @param id stable identifier (URL-safe, generated)
 * @param inputId the input it carries
 * @param name human-readable name, unique among the input's outputs
 * @param url destination URL (may carry credentials; shown redacted)
 * @param enabled whether the output should run
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record OutputDef(String id, String inputId, String name, String url, boolean enabled, Instant createdAt,
        Instant updatedAt) {

    /** @return this output with another enabled flag and update time */
    public OutputDef withEnabled(boolean value, Instant now) {
        return new OutputDef(id, inputId, name, url, value, createdAt, now);
    }
}
