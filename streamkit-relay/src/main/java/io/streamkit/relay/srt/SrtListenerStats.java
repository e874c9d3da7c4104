package io.streamkit.relay.srt;

/**
 * An immutable snapshot of an {@link SrtListener}'s counters (connection statistics are per
 * {@link SrtConnection#stats()}).
 *
 * @param datagrams datagrams received
 * @param decodeErrors datagrams that were not well-formed SRT packets (too short, too long, malformed)
 * @param badCookies conclusion handshakes with a wrong or expired SYN cookie, ignored
 * @param unknownSocket packets for a socket id that no connection of this listener has, or from the wrong address
 * @param accepted connections established
 * @param rejected handshakes rejected (by the acceptor, for encryption, or for lack of resources)
 * @param badSecret rejections because the caller's passphrase did not match
 */
public record SrtListenerStats(long datagrams, long decodeErrors, long badCookies, long unknownSocket, long accepted,
        long rejected, long badSecret) {
}
