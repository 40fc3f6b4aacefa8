/** The command line's implementation: picocli commands, the listen transcript, the demo. Not an API. */
package io.pusheriso.cli.internal;
