package io.streamkit.relay.control;

import io.streamkit.relay.control.model.InputKind;

/**
 * The fields of an input to create or update; {@code null} leaves a field at its default (create)
 * or unchanged (update).
 *
 * @param name unique name, 1–64 characters
 * @param kind RTMP, SRT or PULL; cannot change after creation
 * @param url source URL of a PULL input ({@code rtmp://}, {@code rtmps://}, {@code srt://})
 * @param latencyMs SRT latency, 80–1000 ms (SRT inputs and SRT pulls)
 * @param passphrase SRT passphrase, 10–79 characters; empty string removes it
 * @param pbKeyLen SRT key length in bytes: 16, 24 or 32
 * @param enabled whether the input runs (default true)
 */
public record InputRequest(String name, InputKind kind, String url, Integer latencyMs, String passphrase,
        Integer pbKeyLen, Boolean enabled) {
}
