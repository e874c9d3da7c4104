package io.streamkit.webrtc.sdp;

/**
 * A line of a type this model keeps verbatim: {@code i=}, {@code u=}, {@code e=}, {@code p=},
 * {@code b=}, {@code r=}, {@code z=}, {@code k=} and repeated {@code t=} lines
 * (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5">RFC 8866 section 5</a>).
 *
 * @param type the type letter
 * @param value the text after {@code =}
 */
public record Field(char type, String value) {

    /** Validates the type letter and the value. */
    public Field {
        if ("iuepbrzkt".indexOf(type) < 0) {
            throw new IllegalArgumentException("Field type must be one of i u e p b r z k t, got '" + type + "'");
        }
        Sdp.requireText(value, type + "= value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(type + "= value must not be empty");
        }
    }

    /** @return the line without line ending, e.g. {@code b=AS:300} */
    @Override
    public String toString() {
        return type + "=" + value;
    }
}
