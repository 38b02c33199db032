/** Filled by its own issue. */
package org.switchboard.examples;
