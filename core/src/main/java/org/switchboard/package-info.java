/**
 * Switchboard: HTTP/1.1 protocol upgrade negotiation ({@code 101 Switching Protocols}, RFC 9110
 * §7.8) on Jetty 12.
 *
 * <p>Protocol authors implement {@link org.switchboard.ProtocolHandler} (and, to be found on the
 * classpath, {@link org.switchboard.ProtocolHandlerProvider}); applications set Switchboard up with
 * {@link org.switchboard.Switchboard#builder()}. {@link org.switchboard.Negotiator} is where the
 * protocol is chosen; {@link org.switchboard.SwitchboardHandler} is where the connection switches.
 */
package org.switchboard;
