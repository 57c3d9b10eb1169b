/** {@code demo/leaderboard}: an ordered subscription to {@code gift.sent}. */
package io.weft.examples.leaderboard;
