package com.netrunsystems.cache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.CacheKeys;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class SpringCacheKeysTest {

    record UserId(String tenant, long id) {
    }

    @Test
    void keyText_string_isUsedAsItIs() {
        assertThat(SpringCacheKeys.keyText("user:42")).isEqualTo("user:42");
    }

    @Test
    void keyText_singleArgument_isWrittenAsCachedWritesAnArgument() {
        assertThat(SpringCacheKeys.keyText(42)).isEqualTo("42");
        assertThat(SpringCacheKeys.keyText(42L)).isEqualTo("42L");
        assertThat(SpringCacheKeys.keyText(TimeUnit.SECONDS)).isEqualTo("SECONDS");
        assertThat(SpringCacheKeys.keyText(new UserId("acme", 7))).matches("#[0-9a-f]{32}");
    }

    @Test
    void keyText_simpleKey_isTheArgumentListOfACachedKey() {
        assertThat(SpringCacheKeys.keyText(new SimpleKey("42", 7L, null, true))).isEqualTo("(\"42\",7L,null,true)");
        assertThat(SpringCacheKeys.keyText(SimpleKey.EMPTY)).isEqualTo("()");
        assertThat(SpringCacheKeys.keyText(new SimpleKey("a\"b", 'c'))).isEqualTo("(\"a\\\"b\",'c')");
    }

    @Test
    void keyText_equalObjects_giveEqualKeys_andDifferentObjectsDifferentKeys() {
        assertThat(SpringCacheKeys.keyText(new SimpleKey(new UserId("acme", 7), List.of(1, 2))))
                .isEqualTo(SpringCacheKeys.keyText(new SimpleKey(new UserId("acme", 7), List.of(1, 2))))
                .isNotEqualTo(SpringCacheKeys.keyText(new SimpleKey(new UserId("acme", 8), List.of(1, 2))));
        assertThat(SpringCacheKeys.keyText(new SimpleKey(new UserId("acme", 7))))
                .isEqualTo("(" + CacheKeys.argumentText(new UserId("acme", 7)) + ")");
    }

    @Test
    void keyText_longArgumentList_isHashed() {
        String longText = "x".repeat(300);
        String key = SpringCacheKeys.keyText(new SimpleKey(longText, 1));
        assertThat(key).matches("\\(#[0-9a-f]{32}\\)");
        assertThat(key).isEqualTo(SpringCacheKeys.keyText(new SimpleKey(longText, 1)))
                .isNotEqualTo(SpringCacheKeys.keyText(new SimpleKey(longText, 2)));
    }

    @Test
    void keyText_null_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> SpringCacheKeys.keyText(null)).withMessageContaining("null");
    }
}
