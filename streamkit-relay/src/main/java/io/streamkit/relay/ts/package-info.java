/**
 * MPEG-2 transport streams (as carried over SRT and UDP) to and from
 * {@link io.streamkit.api.MediaPacket}s: {@link io.streamkit.relay.ts.TsDemuxer} reads PAT, PMT
 * and PES of H.264, H.265, AAC (ADTS), MP3 and Opus; {@link io.streamkit.relay.ts.TsMuxer} writes
 * them with PAT/PMT repetition, PCR and continuity counters; {@link io.streamkit.relay.ts.TsChunker}
 * groups the packets into 1316-byte (7 x 188) SRT payloads. Timestamps are 90 kHz throughout.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, Generic coding of
 *      moving pictures and associated audio information: Systems</a>
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, Annex B byte stream format</a>
 * @see <a href="https://opus-codec.org/docs/ETSI_TS_opus-v0.1.3-draft.pdf">ETSI TS 102 366 draft: Opus in
 *      MPEG-2 transport streams</a>
 */
package io.streamkit.relay.ts;
