package com.netrunsystems.cache.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.Cached;
import java.lang.reflect.Method;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The key format of {@link Cached} methods, pinned to fixed strings: keys must not change between
 * JVMs, JDK versions or releases, or caches shared through Redis would stop matching. Each hash in
 * these tests is the first 32 hex digits (128 bits) of {@code printf '%s' '<canonical JSON>' | sha256sum}.
 */
class MethodKeysTest {

    private static final String TYPE = "com.netrunsystems.cache.method.MethodKeysTest$Keyed";

    enum Status { ACTIVE, INACTIVE }

    record Point(int y, int x) {
    }

    /** A POJO whose fields are declared out of alphabetical order. */
    public static final class Person {
        public String name = "Ada";
        public List<String> tags = List.of("x", "y");
    }

    /** Has no property Jackson can see, so all instances would write alike. */
    static final class Opaque {
        @SuppressWarnings("unused")
        private final int secret = 1;
    }

    interface Keyed {
        String none();

        String primitives(int i, long l, boolean b, double d);

        String small(byte b, short s, char c, float f);

        String strings(String a, String b);

        String one(Object value);

        String status(Status status);

        String other(int i, long l, boolean b, double d);
    }

    private static String key(String method, Object... args) {
        return prefixedKey("", method, args);
    }

    private static String prefixedKey(String prefix, String method, Object... args) {
        Method found = Arrays.stream(Keyed.class.getMethods()).filter(m -> m.getName().equals(method)).findFirst()
                .orElseThrow();
        return MethodKeys.of(found, prefix).key(args.length == 0 ? null : args);
    }

    @Test
    void key_noArguments_isTypeMethodAndEmptyParentheses() {
        assertThat(key("none")).isEqualTo(TYPE + ".none()");
    }

    @Test
    void key_primitives_writtenAsJavaLiterals() {
        assertThat(key("primitives", 42, 42L, true, 1.5)).isEqualTo(TYPE + ".primitives(42,42L,true,1.5)");
        assertThat(key("primitives", -7, Long.MIN_VALUE, false, -0.0))
                .isEqualTo(TYPE + ".primitives(-7,-9223372036854775808L,false,-0.0)");
    }

    @Test
    void key_byteShortCharFloat_writtenAsJavaLiterals() {
        assertThat(key("small", (byte) 1, (short) 2, 'x', 0.1f)).isEqualTo(TYPE + ".small(1,2,'x',0.1F)");
        assertThat(key("small", (byte) 1, (short) 2, '\'', 0.1f)).isEqualTo(TYPE + ".small(1,2,'\\'',0.1F)");
    }

    @Test
    void key_doubles_shortestDecimalOnEveryJdk() {
        // Java 17's Double.toString(1e23) prints 9.999999999999999E22; the key must not depend on the JDK.
        assertThat(key("primitives", 0, 0L, true, 1e23)).isEqualTo(TYPE + ".primitives(0,0L,true,1.0E23)");
        assertThat(key("primitives", 0, 0L, true, 0.001)).isEqualTo(TYPE + ".primitives(0,0L,true,0.001)");
        assertThat(key("primitives", 0, 0L, true, Double.NaN)).isEqualTo(TYPE + ".primitives(0,0L,true,NaN)");
    }

    @Test
    void key_stringsWithSeparators_quotedSoArgumentListsNeverCollide() {
        String twoArguments = key("strings", "a", "b");
        String commaInFirst = key("strings", "a,b", "");
        String quoteInjection = key("strings", "a\",\"b", "");

        assertThat(twoArguments).isEqualTo(TYPE + ".strings(\"a\",\"b\")");
        assertThat(commaInFirst).isEqualTo(TYPE + ".strings(\"a,b\",\"\")");
        assertThat(quoteInjection).isEqualTo(TYPE + ".strings(\"a\\\",\\\"b\",\"\")");
        assertThat(key("strings", "x)(y", "back\\slash")).isEqualTo(TYPE + ".strings(\"x)(y\",\"back\\\\slash\")");
        assertThat(List.of(twoArguments, commaInFirst, quoteInjection)).doesNotHaveDuplicates();
    }

    @Test
    void key_controlCharactersAndLoneSurrogates_escapedSoDistinctStringsStayDistinctInUtf8() {
        assertThat(key("strings", "line\nbreak", "\uD800")).isEqualTo(TYPE + ".strings(\"line\\u000abreak\",\"\\ud800\")");
        assertThat(key("strings", "x", "\uD800")).isNotEqualTo(key("strings", "x", "\uD801"));
        assertThat(key("strings", "Zoë", "😀")).isEqualTo(TYPE + ".strings(\"Zoë\",\"😀\")");
    }

    @Test
    void key_nullArgument_distinctFromTheStringNull() {
        assertThat(key("one", (Object) null)).isEqualTo(TYPE + ".one(null)");
        assertThat(key("one", "null")).isEqualTo(TYPE + ".one(\"null\")");
    }

    @Test
    void key_boxedNumbersOfDifferentTypes_distinct() {
        assertThat(key("one", 42)).isEqualTo(TYPE + ".one(42)");
        assertThat(key("one", 42L)).isEqualTo(TYPE + ".one(42L)");
        assertThat(key("one", "42")).isEqualTo(TYPE + ".one(\"42\")");
    }

    @Test
    void key_enum_writtenAsItsName() {
        assertThat(key("status", Status.ACTIVE)).isEqualTo(TYPE + ".status(ACTIVE)");
    }

    @Test
    void key_mapsInTwoInsertionOrders_sameHashOfSortedJson() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", List.of(1, 2));
        ab.put("b", 2);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", List.of(1, 2));

        // {"a":[1,2],"b":2}
        assertThat(key("one", ab)).isEqualTo(TYPE + ".one(#68b7e88ecdcf999e2736835f0354c02f)");
        assertThat(key("one", ba)).isEqualTo(key("one", ab));
        assertThat(key("one", new HashMap<>(ba))).isEqualTo(key("one", ab));
    }

    @Test
    void key_record_hashOfJsonWithSortedProperties() {
        // {"x":1,"y":2}
        assertThat(key("one", new Point(2, 1))).isEqualTo(TYPE + ".one(#689a8f1db95402580476e38c264278ce)");
    }

    @Test
    void key_pojo_hashOfJsonWithSortedProperties() {
        // {"name":"Ada","tags":["x","y"]}
        assertThat(key("one", new Person())).isEqualTo(TYPE + ".one(#128ea71ff7d0562c1de60a5c95fce53d)");
    }

    @Test
    void key_list_hashOfItsJson() {
        // ["x",1,true]
        assertThat(key("one", List.of("x", 1, true))).isEqualTo(TYPE + ".one(#283c8b6b1f2b399ed4e94fa733c46ae3)");
        // [1,2]: an array with the same JSON gives the same key
        assertThat(key("one", new int[] {1, 2})).isEqualTo(TYPE + ".one(#49a64717d5d4cb19952e6eac2946415c)");
        assertThat(key("one", List.of(1, 2))).isEqualTo(key("one", new int[] {1, 2}));
    }

    @Test
    void key_setsWithDifferentIterationOrders_sameHashOfSortedElements() {
        Set<Integer> small = new LinkedHashSet<>(List.of(3, 1, 2));
        Set<Integer> large = new HashSet<>(64);
        large.addAll(List.of(2, 3, 1));

        // [1,2,3]
        assertThat(key("one", small)).isEqualTo(TYPE + ".one(#a615eeaee21de5179de080de8c3052c8)");
        assertThat(key("one", large)).isEqualTo(key("one", small));
    }

    @Test
    void key_javaTimeValue_hashOfItsIsoText() {
        // "2024-01-02"
        assertThat(key("one", LocalDate.of(2024, 1, 2))).isEqualTo(TYPE + ".one(#b5b6cffc1cf02a2b240125875dc8ff58)");
    }

    @Test
    void key_keyPrefix_prependedVerbatim() {
        assertThat(prefixedKey("v2:", "status", Status.INACTIVE)).isEqualTo("v2:" + TYPE + ".status(INACTIVE)");
    }

    @Test
    void key_differentMethodsSameArguments_differentKeys() {
        assertThat(key("primitives", 1, 2L, true, 3.0)).isNotEqualTo(key("other", 1, 2L, true, 3.0));
        assertThat(key("other", 1, 2L, true, 3.0)).isEqualTo(TYPE + ".other(1,2L,true,3.0)");
    }

    @Test
    void key_sameMethodSameArgumentsFromTwoBuilders_sameKey() {
        Method method = Arrays.stream(Keyed.class.getMethods()).filter(m -> m.getName().equals("strings")).findFirst()
                .orElseThrow();
        assertThat(MethodKeys.of(method, "").key(new Object[] {"a", "b"}))
                .isEqualTo(MethodKeys.of(method, "").key(new Object[] {new String("a"), "b"}));
    }

    @Test
    void key_longerThan200Characters_argumentListHashed() {
        String longText = "x".repeat(300);

        String hashed = key("strings", longText, "y");

        assertThat(hashed).matches(java.util.regex.Pattern.quote(TYPE + ".strings(#") + "[0-9a-f]{32}\\)");
        assertThat(hashed).isEqualTo(key("strings", longText, "y"));
        assertThat(hashed).isNotEqualTo(key("strings", longText, "z"));
        assertThat(key("strings", "x".repeat(100), "y")).hasSizeLessThanOrEqualTo(MethodKeys.MAX_KEY_LENGTH)
                .contains("x".repeat(100));
    }

    @Test
    void key_argumentJacksonCannotWrite_throwsNamingMethodAndArgument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> key("one", new Opaque()))
                .withMessageContaining(TYPE + ".one")
                .withMessageContaining("argument 0")
                .withMessageContaining(Opaque.class.getName());
    }

    @Test
    void key_cyclicArgument_throwsNamingTheCycleWithoutGetterAdvice() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> key("one", cyclic))
                .withMessageContaining(TYPE + ".one")
                .withMessageContaining("argument 0")
                .withMessageContaining("contains itself")
                .withMessageNotContaining("getters");
    }

    @Test
    void plainText_placeholderValues_writtenWithoutQuotesOrSuffixes() {
        assertThat(MethodKeys.plainText("42")).isEqualTo("42");
        assertThat(MethodKeys.plainText(42L)).isEqualTo("42");
        assertThat(MethodKeys.plainText(1e23)).isEqualTo("1.0E23");
        assertThat(MethodKeys.plainText(Status.ACTIVE)).isEqualTo("ACTIVE");
        assertThat(MethodKeys.plainText(null)).isEqualTo("null");
        assertThatIllegalArgumentException().isThrownBy(() -> MethodKeys.plainText(List.of()))
                .withMessageContaining("java.util");
    }
}
