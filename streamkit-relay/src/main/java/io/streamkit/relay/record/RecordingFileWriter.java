package io.streamkit.relay.record;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.mp4.FragmentedMp4Writer;
import io.streamkit.relay.mp4.RecordingException;
import java.nio.file.Path;
import java.util.List;

/**
 * One recording file being written, whatever its container. Packets are lent to
 * {@link #write(MediaPacket)}; failures throw {@link RecordingException} naming the file.
 */
interface RecordingFileWriter {

    /** @return the file */
    Path path();

    /**
     * @param packet a packet, lent
     * @throws RecordingException when the file cannot be written
     */
    void write(MediaPacket packet);

    /** @return packets written (or buffered to be written) so far */
    long samples();

    /**
     * Writes what is buffered and closes the file; idempotent.
     *
     * @throws RecordingException when the file cannot be written or closed
     */
    void close();

    /**
     * Creates the file and its writer.
     *
     * @param format the container
     * @param path the file
     * @param tracks the tracks, with their configurations
     * @return the writer
     * @throws RecordingException when the file cannot be created
     * @throws io.streamkit.api.CodecException when the tracks cannot be stored in the container
     */
    static RecordingFileWriter open(RecordingFormat format, Path path, List<TrackInfo> tracks) {
        if (format == RecordingFormat.MPEG_TS) {
            return TsFileWriter.open(path, tracks);
        }
        FragmentedMp4Writer w = FragmentedMp4Writer.open(path, tracks);
        return new RecordingFileWriter() {
            @Override
            public Path path() {
                return w.path();
            }

            @Override
            public void write(MediaPacket packet) {
                w.write(packet);
            }

            @Override
            public long samples() {
                return w.samples();
            }

            @Override
            public void close() {
                w.close();
            }
        };
    }
}
