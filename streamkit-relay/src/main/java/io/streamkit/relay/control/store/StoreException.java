package io.streamkit.relay.control.store;

import io.streamkit.api.StreamKitException;

/** The configuration store failed (I/O, database down, constraint violated). */
public final class StoreException extends StreamKitException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and its cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message. */
    public StoreException(String message) {
        super(message);
    }
}
