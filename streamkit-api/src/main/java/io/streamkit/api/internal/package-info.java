/**
 * Implementation of the stream registry, fan-out, publishers, inputs and outputs. Not API: this
 * package is not exported and may change in any release.
 */
package io.streamkit.api.internal;
