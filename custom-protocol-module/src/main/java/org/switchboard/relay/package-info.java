/**
 * relay: a small binary, full-duplex protocol reached through HTTP/1.1 {@code Upgrade: relay/2,
 * relay/1}, specified in the module's PROTOCOL.md. An example of a brand-new protocol behind
 * Switchboard: {@link org.switchboard.relay.RelayProtocolHandler} is the {@code ProtocolHandler} (found by
 * {@code ServiceLoader} through {@link org.switchboard.relay.RelayProvider}), the application sees
 * {@link org.switchboard.relay.RelaySession}s through a {@link org.switchboard.relay.RelayListener},
 * and {@link org.switchboard.relay.RelayClient} is the Java client.
 */
package org.switchboard.relay;
