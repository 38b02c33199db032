/**
 * HTTP/2 cleartext (h2c) for Switchboard: {@link org.switchboard.h2c.H2cProtocolHandler} switches an
 * HTTP/1.1 connection to HTTP/2 when the dispatcher picks {@code h2c} (rules H1–H4, U9–U11, SB1),
 * request bodies included, and keeps prior-knowledge HTTP/2 working on the same port.
 * {@link org.switchboard.h2c.H2cConfig} holds the HTTP/2 settings.
 */
package org.switchboard.h2c;
