package io.streamkit.relay.amf;

import java.util.Map;

/**
 * An AMF0 ECMA array (marker {@code 0x08}), an associative array such as the one of
 * {@code onMetaData}; also the result of an AMF3 array with associative members. Encoded back as
 * an ECMA array, so a round trip keeps the type.
 */
public class AmfEcmaArray extends AmfObject {
    private static final long serialVersionUID = 1L;

    /** Creates an empty array. */
    public AmfEcmaArray() {
    }

    /**
     * Creates an array holding a copy of {@code entries}, in their iteration order.
     *
     * @param entries the properties
     */
    public AmfEcmaArray(Map<String, ?> entries) {
        super(entries);
    }

    @Override
    public AmfEcmaArray with(String key, Object value) {
        put(key, value);
        return this;
    }
}
