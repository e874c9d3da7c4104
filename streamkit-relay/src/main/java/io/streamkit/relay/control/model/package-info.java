/**
 * The restreamer's configuration model: inputs, outputs, users, sessions and audit entries, as
 * immutable records that the {@link io.streamkit.relay.control.store.ControlStore} persists and the
 * HTTP API exchanges as JSON.
 */
package io.streamkit.relay.control.model;
