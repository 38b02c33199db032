/** Not API: the dispatcher's plumbing. May change in any release. */
package org.switchboard.internal;
