/**
 * RTMP: handshake, chunk stream, messages, and the server and client built from them.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP Specification 1.0</a>
 */
package io.streamkit.relay.rtmp;
