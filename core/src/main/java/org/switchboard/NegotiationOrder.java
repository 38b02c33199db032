package org.switchboard;

/** Whose preference picks the protocol when several handlers would accept (SB1). */
public enum NegotiationOrder {
    /** The client's order of descending preference (U2): the default. */
    CLIENT_PREFERENCE,
    /** The order handlers were registered in; RFC 9110 lets the server choose among the offers. */
    SERVER_PRIORITY
}
