package io.streamkit.relay.srt;

import io.streamkit.api.NegotiationException;

/** The peer rejected the SRT connection; {@link #reason()} is its {@link SrtRejectReason}. */
public class SrtRejectedException extends NegotiationException {
    private static final long serialVersionUID = 1L;
    private final int reason;

    /**
     * @param message what went wrong
     * @param reason the rejection reason
     */
    public SrtRejectedException(String message, int reason) {
        super(message);
        this.reason = reason;
    }

    /** @return the rejection reason ({@link SrtRejectReason}) */
    public int reason() {
        return reason;
    }
}
