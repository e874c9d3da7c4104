/**
 * StreamKit Compositor: scene graph, renderer, audio mixer and encoders through JavaCV. The
 * module is laid out; its content arrives with the compositor work.
 */
module io.streamkit.compositor {
    requires transitive io.streamkit.api;
}
