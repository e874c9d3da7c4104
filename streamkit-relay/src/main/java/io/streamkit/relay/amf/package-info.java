/**
 * AMF0 encoding and decoding (with the AMF3 values RTMP peers may switch to), as used by RTMP
 * command messages and FLV script data.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 File Format Specification</a>
 * @see <a href="https://rtmp.veriskope.com/pdf/amf3-file-format-spec.pdf">AMF3 File Format Specification</a>
 */
package io.streamkit.relay.amf;
