/** Relay internals (buffers, codec helpers). Not API: not exported and may change in any release. */
package io.streamkit.relay.internal;
