/**
 * What a protocol author implements or receives: {@link org.switchboard.spi.ProtocolHandler} (and,
 * to be discovered, {@link org.switchboard.spi.ProtocolHandlerProvider}) answers each offer
 * ({@link org.switchboard.spi.UpgradeOffer}) with a {@link org.switchboard.spi.Verdict}; on a switch,
 * the connection it opens from a {@link org.switchboard.spi.SwitchContext} — usually an
 * {@link org.switchboard.spi.UpgradedConnection} — speaks the protocol from the first byte after
 * the 101. The rule ids cited (U1–U12, SB1–SB6) are those of RULES.md.
 */
package org.switchboard.spi;
