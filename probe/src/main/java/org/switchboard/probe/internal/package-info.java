/**
 * Not API: the checks, their connections and frame codecs, and the reports.
 */
package org.switchboard.probe.internal;
