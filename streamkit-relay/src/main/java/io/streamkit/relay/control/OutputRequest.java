package io.streamkit.relay.control;

/**
 * The fields of an output to create or update; {@code null} leaves a field at its default (create)
 * or unchanged (update).
 *
 * @param name unique name within the input, 1–64 characters
 * @param url destination: {@code rtmp://}, {@code rtmps://}, {@code srt://} (caller, or
 *        {@code mode=listener} for a pull output)
 * @param enabled whether the output runs (default true)
 */
public record OutputRequest(String name, String url, Boolean enabled) {
}
