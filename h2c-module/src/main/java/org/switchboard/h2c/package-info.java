/** Filled by its own issue. */
package org.switchboard.h2c;
