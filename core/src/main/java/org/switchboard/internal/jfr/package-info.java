/**
 * Switchboard's JDK Flight Recorder events, category {@code Switchboard}: one per upgrade
 * negotiation ({@code org.switchboard.Negotiation}) and one per switched connection's lifetime
 * ({@code org.switchboard.UpgradedConnection}). Not API: a recording reads them by name. Each is
 * built only while a recording has its type enabled, so they cost a flag check otherwise.
 */
package org.switchboard.internal.jfr;
