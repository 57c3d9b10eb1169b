/** {@code demo/experience}: an unordered subscription to {@code gift.sent}, and a persistent-call target. */
package io.weft.examples.experience;
