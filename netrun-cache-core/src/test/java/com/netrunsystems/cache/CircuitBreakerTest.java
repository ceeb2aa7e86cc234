package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The L2 circuit breaker of {@link CacheManager}, on a fake ticker. */
class CircuitBreakerTest {

    private final FakeTicker ticker = new FakeTicker();
    private final AtomicInteger recoveries = new AtomicInteger();
    private final CircuitBreaker breaker = new CircuitBreaker("test", 3, Duration.ofMillis(500).toNanos(), ticker,
            recoveries::incrementAndGet);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.onFailure(new CacheUnavailableException("down"));
        }
    }

    @Test
    void onFailure_belowThreshold_staysClosed() {
        fail(2);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.allowRequest()).isTrue();
    }

    @Test
    void onFailure_threeInARow_opensAndRefusesUntilOpenDurationPassed() {
        fail(3);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.allowRequest()).isFalse();
        ticker.advance(Duration.ofMillis(499));
        assertThat(breaker.allowRequest()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.allowRequest()).isTrue();           // the one probe
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.allowRequest()).isFalse();          // nobody else meanwhile
    }

    @Test
    void onSuccess_afterProbe_closesAndRunsRecoveryOnce() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        breaker.allowRequest();
        breaker.onSuccess();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(recoveries).hasValue(1);
    }

    @Test
    void onFailure_ofTheProbe_opensAgainForAnotherPeriod() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        breaker.allowRequest();
        fail(1);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.allowRequest()).isFalse();
    }

    @Test
    void allowRequest_probeNeverReportedBack_letsAnotherProbeThroughAfterAPeriod() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(breaker.allowRequest()).isTrue(); // this probe's caller never reports success or failure
        ticker.advance(Duration.ofMillis(499));
        assertThat(breaker.allowRequest()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.allowRequest()).isTrue(); // regression: the circuit used to stay half-open for good
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }
}
