package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.method.MethodKeys;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CacheKeys#argumentText(Object)} writes an argument exactly as a {@code @Cached} key does. */
class CacheKeysArgumentTextTest {

    record Point(int x, int y) {
    }

    @SuppressWarnings("unused")
    private static void find(Object a, Object b, Object c) {
    }

    @Test
    void argumentText_matchesTheArgumentsOfACachedKey() throws Exception {
        Method method = CacheKeysArgumentTextTest.class.getDeclaredMethod("find", Object.class, Object.class, Object.class);
        Object[] args = {"say \"hi\"", 42L, new Point(1, 2)};
        String key = MethodKeys.of(method, "").key(args);
        assertThat(key).endsWith("(" + CacheKeys.argumentText(args[0]) + "," + CacheKeys.argumentText(args[1]) + ","
                + CacheKeys.argumentText(args[2]) + ")");
    }

    @Test
    void argumentText_examples() {
        assertThat(CacheKeys.argumentText("42")).isEqualTo("\"42\"");
        assertThat(CacheKeys.argumentText(42L)).isEqualTo("42L");
        assertThat(CacheKeys.argumentText(null)).isEqualTo("null");
        assertThat(CacheKeys.argumentText(List.of(1, 2))).matches("#[0-9a-f]{32}")
                .isEqualTo(CacheKeys.argumentText(List.of(1, 2)));
    }
}
