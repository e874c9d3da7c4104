/**
 * The Java2D renderer of the compositor: {@link io.streamkit.compositor.render.SceneRenderer}
 * draws scene snapshots (or the steps of a transition) into one reused image per canvas size,
 * given the current frame of each video source through
 * {@link io.streamkit.compositor.render.VideoFrames}. A renderer is confined to the render thread.
 */
package io.streamkit.compositor.render;
