package com.netrunsystems.cache.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.FakeTicker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The L2 circuit breaker of {@code CacheManager}, on a fake ticker. */
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
    void onFailure_threeInARow_opensAndRefusesUserCallsUntilTheProbeCloses() {
        fail(3);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.allowRequest()).isFalse();
        ticker.advance(Duration.ofMillis(499));
        assertThat(breaker.tryProbe()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.allowRequest()).as("user calls are never the probe").isFalse();
        assertThat(breaker.tryProbe()).isTrue();               // the one probe
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.tryProbe()).isFalse();              // nobody else meanwhile
        assertThat(breaker.allowRequest()).isFalse();
    }

    @Test
    void onProbeSuccess_closesAndRunsRecoveryOnce() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryProbe()).isTrue();
        breaker.onProbeSuccess();
        breaker.onProbeSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.allowRequest()).isTrue();
        assertThat(recoveries).hasValue(1);
    }

    /** Regression (issue 11, defect 3): any success closed the circuit, so with one slow master it flapped. */
    @Test
    void onSuccess_lateAnswerOfCallAdmittedBeforeOpening_doesNotClose() {
        fail(3);
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryProbe()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(recoveries).hasValue(0);
    }

    @Test
    void onSuccess_whileClosed_resetsTheFailureCount() {
        fail(2);
        breaker.onSuccess();
        fail(2);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void onProbeFailure_opensAgainForAnotherPeriod() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        breaker.tryProbe();
        breaker.onProbeFailure(new CacheUnavailableException("still down"));
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.tryProbe()).isFalse();
        ticker.advance(Duration.ofMillis(500));
        assertThat(breaker.tryProbe()).isTrue();
    }

    @Test
    void onFailure_whileOpenOrHalfOpen_isALateAnswerAndIgnored() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        breaker.tryProbe();
        fail(5);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void tryProbe_probeNeverReportedBack_letsAnotherProbeThroughAfterAPeriod() {
        fail(3);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryProbe()).isTrue(); // this probe never reports success or failure
        ticker.advance(Duration.ofMillis(499));
        assertThat(breaker.tryProbe()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.tryProbe()).isTrue(); // regression: the circuit used to stay half-open for good
        breaker.onProbeSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void tryProbe_whileClosed_isFalse() {
        assertThat(breaker.tryProbe()).isFalse();
    }
}
