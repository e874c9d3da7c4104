package io.streamkit.relay.mp4;

import io.streamkit.api.StreamKitException;

/** A recording could not be written, read or finalized; the message names the file. */
public class RecordingException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, with the path */
    public RecordingException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, with the path
     * @param cause the underlying failure
     */
    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
