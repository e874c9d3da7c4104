/**
 * The scene model of the compositor: immutable {@link io.streamkit.compositor.scene.Scene}
 * snapshots made of {@link io.streamkit.compositor.scene.Layer}s (video, image, text, colour),
 * {@link io.streamkit.compositor.scene.Layout}s that place the visible video sources,
 * {@link io.streamkit.compositor.scene.Transition}s between scenes, and the
 * {@link io.streamkit.compositor.scene.SceneHolder} through which a live scene is changed
 * atomically.
 *
 * <p>
 * Geometry is in <b>canvas pixels</b>: a layer's bounds are an integer rectangle on the output
 * canvas (origin top-left, may reach outside the canvas, which clips it); a crop rectangle is in
 * the pixels of the layer's source. Everything here is immutable and safe to share between
 * threads; the render thread reads one snapshot per frame.
 */
package io.streamkit.compositor.scene;
