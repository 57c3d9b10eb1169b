/** The subcommands of {@code weft} and the load generator behind {@code weft bench}. */
package io.weft.launcher.impl;
