/**
 * Persistence of the restreamer's control plane: the {@link io.streamkit.relay.control.store.ControlStore}
 * SPI and {@link io.streamkit.relay.control.store.JdbcControlStore}, its implementation over JDBC for
 * an embedded H2 file database (the default, no server needed) and PostgreSQL.
 */
package io.streamkit.relay.control.store;
