/**
 * StreamKit Compositor: the scene graph (immutable snapshots of layers, layouts and transitions)
 * and its Java2D renderer. Decoding and encoding through JavaCV and the audio mixer build on it.
 */
module io.streamkit.compositor {
    requires transitive io.streamkit.api;
    requires transitive java.desktop;

    exports io.streamkit.compositor.scene;
    exports io.streamkit.compositor.render;
}
