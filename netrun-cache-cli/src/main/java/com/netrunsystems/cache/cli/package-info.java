/**
 * The {@code netrun-cache} command-line tool: {@code netrun-cache demo} and, later, benchmark and
 * inspection commands. An application built on the public API; nothing depends on this package,
 * and it may change without notice.
 */
package com.netrunsystems.cache.cli;
