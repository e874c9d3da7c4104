/**
 * Test kit for integrators: {@link io.streamkit.api.testkit.TransportProviderContract} is the
 * compatibility suite every transport passes; {@link io.streamkit.api.testkit.TestMedia} and
 * {@link io.streamkit.api.testkit.RecordingSink} help write more. Shipped in the {@code tests}
 * jar of {@code streamkit-api}.
 */
package io.streamkit.api.testkit;
