/**
 * Service provider interfaces: the contracts integrators implement to add transports. The user's
 * handles ({@link io.streamkit.api.Output}, {@link io.streamkit.api.Input}) live in
 * {@link io.streamkit.api}; implementors only see this package.
 */
package io.streamkit.api.spi;
