package io.streamkit.api;

/**
 * A stream refused a publisher: the path is already live and its policy is
 * {@link PublishPolicy#REJECT}, the stream is closed, or an authorization hook said no.
 */
public class PublishRejectedException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** Why a publisher was refused. */
    public enum Reason {
        /** Another publisher is live on the path and the policy is {@link PublishPolicy#REJECT}. */
        ALREADY_PUBLISHING,
        /** The stream or the kit is closed. */
        CLOSED,
        /** An authorization hook refused the publisher. */
        UNAUTHORIZED
    }

    private final Reason reason;

    /**
     * @param reason why the publisher was refused
     * @param message a specific message naming the path
     */
    public PublishRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return why the publisher was refused */
    public Reason reason() {
        return reason;
    }
}
