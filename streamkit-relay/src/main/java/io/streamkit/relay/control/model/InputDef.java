package io.streamkit.relay.control.model;

import java.time.Instant;

/**
 * A configured input: where one stream comes from.
 *
 * @param id stable identifier (URL-safe, generated)
 * @param name human-readable name, unique among inputs
 * @param kind how media arrives
 * @param streamKey secret key of RTMP and SRT inputs; the stream's path in the relay
 * @param url source of a {@link InputKind#PULL} input, {@code null} otherwise
 * @param latencyMs SRT latency (80–1000 ms) for SRT inputs and SRT pulls, {@code null} otherwise
 * @param passphrase SRT passphrase (10–79 characters) or {@code null} for none
 * @param pbKeyLen SRT key length in bytes (16, 24 or 32) when a passphrase is set
 * @param enabled whether the input accepts (or pulls) media
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record InputDef(String id, String name, InputKind kind, String streamKey, String url, Integer latencyMs,
        String passphrase, Integer pbKeyLen, boolean enabled, Instant createdAt, Instant updatedAt) {

    /** @return this input with another enabled flag and update time */
    public InputDef withEnabled(boolean value, Instant now) {
        return new InputDef(id, name, kind, streamKey, url, latencyMs, passphrase, pbKeyLen, value, createdAt, now);
    }

    /** @return this input with another stream key and update time */
    public InputDef withStreamKey(String value, Instant now) {
        return new InputDef(id, name, kind, value, url, latencyMs, passphrase, pbKeyLen, enabled, createdAt, now);
    }
}
