/**
 * StreamKit Compositor: the scene graph (immutable snapshots of layers, layouts and transitions),
 * its Java2D renderer, media sources decoded with FFmpeg, the audio mixer, and the program pipeline
 * that renders, mixes, encodes once (H.264 + AAC) and publishes into a StreamKit stream.
 */
module io.streamkit.compositor {
    requires transitive io.streamkit.api;
    requires transitive java.desktop;
    requires org.slf4j;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.ffmpeg;

    exports io.streamkit.compositor.scene;
    exports io.streamkit.compositor.render;
    exports io.streamkit.compositor.audio;
    exports io.streamkit.compositor.source;
    exports io.streamkit.compositor.program;
    exports io.streamkit.compositor.transport;

    provides io.streamkit.api.spi.TransportProvider with io.streamkit.compositor.transport.FfmpegTransportProvider;
}
