/**
 * Switchboard for applications: HTTP/1.1 protocol upgrade negotiation ({@code 101 Switching
 * Protocols}, RFC 9110 §7.8) on Jetty 12.
 *
 * <p>An application sets Switchboard up with {@link org.switchboard.Switchboard#builder()}: which
 * protocol handlers, which {@link org.switchboard.UpgradePolicy} per route, which limits and
 * metrics; {@link org.switchboard.Switchboard#install} puts an {@link org.switchboard.UpgradeDispatcher}
 * in front of a Jetty server's handler. Protocol authors implement the types of
 * {@link org.switchboard.spi}.
 */
package org.switchboard;
