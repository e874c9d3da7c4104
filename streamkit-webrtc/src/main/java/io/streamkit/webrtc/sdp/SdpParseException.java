package io.streamkit.webrtc.sdp;

import io.streamkit.api.NegotiationException;

/**
 * A session description, or one attribute value in it, does not follow the SDP grammar
 * (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-9">RFC 8866 section 9</a>) or one of the
 * attribute grammars this package understands, or it exceeds the parser's bounds.
 *
 * <p>{@link #lineNumber()} is the 1-based line of the text where the problem is, or 0 when the
 * value did not come from a line of text (for example when a typed view parses an attribute of a
 * model built in code).
 */
public final class SdpParseException extends NegotiationException {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String reason;

    /**
     * @param lineNumber the 1-based line number, or 0 when unknown
     * @param reason what is wrong, precise enough to find and fix it
     */
    public SdpParseException(int lineNumber, String reason) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + reason : "SDP: " + reason);
        this.lineNumber = Math.max(0, lineNumber);
        this.reason = reason;
    }

    /**
     * A failure not tied to a line of text.
     *
     * @param reason what is wrong, precise enough to find and fix it
     */
    public SdpParseException(String reason) {
        this(0, reason);
    }

    /**
     * The 1-based line number where parsing failed.
     *
     * @return the line number, or 0 when the failure is not tied to a line
     */
    public int lineNumber() {
        return lineNumber;
    }

    /**
     * What is wrong, without the line number prefix.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * The same failure located at a line.
     *
     * @param line the 1-based line number
     * @return a new exception with that line number and the same reason
     */
    SdpParseException atLine(int line) {
        return new SdpParseException(line, reason);
    }
}
