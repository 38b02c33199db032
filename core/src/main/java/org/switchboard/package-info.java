/**
 * Switchboard: HTTP/1.1 protocol upgrade negotiation ({@code 101 Switching Protocols}, RFC 9110
 * §7.8) on Jetty 12.
 *
 * <p>Protocol authors implement {@link org.switchboard.spi.ProtocolHandler} (and, to be found on the
 * classpath, {@link org.switchboard.spi.ProtocolHandlerProvider}); applications set Switchboard up with
 * {@link org.switchboard.Switchboard#builder()}. {@link org.switchboard.internal.Negotiator} is where the
 * protocol is chosen; {@link org.switchboard.UpgradeDispatcher} is where the connection switches.
 */
package org.switchboard;
import org.switchboard.spi.ProtocolHandlerProvider;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.internal.Negotiator;
