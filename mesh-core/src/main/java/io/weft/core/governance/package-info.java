/**
 * Call governance shared by gates and services: {@link io.weft.core.governance.FailMode fail
 * modes} and {@link io.weft.core.governance.RetryPolicy retries}, per-instance
 * {@link io.weft.core.governance.BreakerOptions circuit breakers}, token-bucket
 * {@link io.weft.core.governance.RateLimit rate limits}, the
 * {@link io.weft.core.governance.LimitAlarm alarm} that reports limits that bite, and the runtime
 * switches that {@link io.weft.core.governance.DisabledRules disable} a service, a method, or
 * either for some callers (degradation).
 */
package io.weft.core.governance;
