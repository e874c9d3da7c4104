package io.streamkit.relay.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF anonymous object (AMF0 marker {@code 0x03}, AMF3 object): string keys in wire order,
 * values in the Java mapping described on {@link Amf0}.
 */
public class AmfObject extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    /** Creates an empty object. */
    public AmfObject() {
    }

    /**
     * Creates an object holding a copy of {@code entries}, in their iteration order.
     *
     * @param entries the properties
     */
    public AmfObject(Map<String, ?> entries) {
        super(entries);
    }

    /**
     * Adds a property, for building objects fluently.
     *
     * @param key the property name
     * @param value the value, {@code null} for AMF null
     * @return this object
     */
    public AmfObject with(String key, Object value) {
        put(key, value);
        return this;
    }
}
