/**
 * The audience of live streams: who watches, the chat beside each stream, and the events a
 * streamer sees. {@link io.streamkit.relay.audience.Audience} is the thread-safe core (no network),
 * {@link io.streamkit.relay.audience.AudienceServer} speaks its JSON protocol over WebSocket
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a>) on Netty, and
 * {@link io.streamkit.relay.audience.Audience#rtmpAuthenticator()} lets only a stream's owner
 * publish it through the relay's RTMP server.
 */
package io.streamkit.relay.audience;
