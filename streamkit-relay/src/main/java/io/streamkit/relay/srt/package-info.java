/**
 * SRT (Secure Reliable Transport) foundation: the wire format of data and control packets
 * ({@link io.streamkit.relay.srt.SrtPacketCodec}), 31-bit sequence and 26-bit message number
 * arithmetic ({@link io.streamkit.relay.srt.SrtSeq}), 32-bit microsecond timestamps
 * ({@link io.streamkit.relay.srt.SrtTimestamp}), the HSv5 handshake and its extensions
 * ({@link io.streamkit.relay.srt.SrtHandshake}), and the encryption layer: passphrase-derived key
 * encryption keys, the Key Material message, RFC 3394 key wrap and AES-CTR payload encryption
 * ({@link io.streamkit.relay.srt.SrtCrypto}, {@link io.streamkit.relay.srt.SrtKeyMaterial},
 * {@link io.streamkit.relay.srt.SrtKeyRing}).
 *
 * <p>Conventions: every 32-bit wire field is held in an {@code int} (unsigned fields such as
 * timestamps and socket ids keep their bit pattern); sequence numbers are 31-bit values in
 * {@code [0, 0x7FFFFFFF]}. Decoding never trusts a length from the network: malformed input is a
 * {@link io.streamkit.api.CodecException} with a message that says what was wrong.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt">The SRT Protocol (draft-sharabayko-srt)</a>
 * @see <a href="https://github.com/Haivision/srt/tree/master/docs">Haivision/srt documentation</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3394">RFC 3394: AES Key Wrap Algorithm</a>
 */
package io.streamkit.relay.srt;
