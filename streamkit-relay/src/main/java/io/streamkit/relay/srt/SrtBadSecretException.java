package io.streamkit.relay.srt;

import io.streamkit.api.NegotiationException;

/**
 * The key material did not unwrap: the RFC 3394 integrity check failed, which means the
 * passphrase is wrong (libsrt reports this as {@code SRT_KM_S_BADSECRET}) or the key material was
 * corrupted.
 */
public class SrtBadSecretException extends NegotiationException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public SrtBadSecretException(String message) {
        super(message);
    }
}
