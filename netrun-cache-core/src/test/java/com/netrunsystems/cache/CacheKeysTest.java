package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.codec.PythonJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link CacheKeys#sha256(Object)} and {@link PythonJson#dumps(Object)} against what the Python
 * netrun-cache's {@code _hash_key} returns. The fixture comes from
 * {@code src/test/resources/cache-keys/generate_fixture.py}; rerun it after changing the cases.
 */
class CacheKeysTest {

    private static final String FIXTURE = "/cache-keys/python_hash_key_cases.json";

    private static final JsonNode FIXTURE_ROOT = readFixture();

    // Fixture cases ------------------------------------------------------------------------------

    static Stream<Arguments> pythonCases() {
        return namedEntries("cases");
    }

    static Stream<Arguments> pythonErrors() {
        return namedEntries("errors");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonCases")
    void sha256_pythonFixtureCase_matchesPythonHashKey(JsonNode testCase) {
        Object value = rebuild(testCase.get("input"));

        assertThat(PythonJson.dumps(value)).isEqualTo(testCase.get("dumps").asText());
        assertThat(CacheKeys.sha256(value)).isEqualTo(testCase.get("sha256").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonErrors")
    void sha256_inputPythonRaisesOn_throwsIllegalArgumentException(JsonNode testCase) {
        Object value = rebuild(testCase.get("input"));

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(value))
                .withMessageContaining("TypeError");
    }

    @Test
    void dumps_fixtureDoubles_matchPythonRepr() {
        JsonNode samples = FIXTURE_ROOT.get("float_reprs");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode sample : samples) {
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(sample.get("bits").asText(), 16));
            String expected = sample.get("repr").asText();
            String actual = PythonJson.dumps(value);
            if (!actual.equals(expected)) {
                mismatches.add(sample.get("bits").asText() + ": expected " + expected + ", was " + actual);
            }
        }

        assertThat(samples).hasSizeGreaterThanOrEqualTo(600);
        assertThat(mismatches).isEmpty();
    }

    // Strings ------------------------------------------------------------------------------------

    @Test
    void sha256_string_hashesUtf8BytesNotJson() throws Exception {
        assertThat(CacheKeys.sha256("hello"))
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
                .isNotEqualTo(CacheKeys.sha256(List.of("hello")));
        assertThat(CacheKeys.sha256("héllo 😀")).isEqualTo(sha256Hex("héllo 😀".getBytes(StandardCharsets.UTF_8)));
        assertThat(CacheKeys.sha256("\"hello\""))
                .isEqualTo("5aa762ae383fbb727af3c7a36d4940a5b8c40a989452d2304fc958ff3f354e7a");
    }

    @Test
    void sha256_stringWithUnpairedSurrogate_throwsIllegalArgumentException() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256("ab\ud800"))
                .withMessageContaining("unpaired surrogate U+D800 at index 2");
    }

    @Test
    void dumps_stringWithUnpairedSurrogateInsideList_escapesItAsPythonDoes() {
        assertThat(PythonJson.dumps(List.of("ab\ud800"))).isEqualTo("[\"ab\\ud800\"]");
    }

    @Test
    void dumps_delCharacter_isEscapedLikeOtherNonPrintableAscii() {
        assertThat(PythonJson.dumps("\u007f~ /")).isEqualTo("\"\\u007f~ /\"");
    }

    // Documented examples ------------------------------------------------------------------------

    @Test
    void sha256_readmePromptExample_matchesPythonHash() {
        Map<String, Object> prompt = new LinkedHashMap<>();
        prompt.put("model", "gpt-4");
        prompt.put("messages", List.of(Map.of("role", "user", "content", "Hello")));
        prompt.put("temperature", 0.7);

        assertThat(CacheKeys.sha256(prompt))
                .isEqualTo("9be21ce5ac679a759d7b1759f6b8115534f2e476dcb68db37c6b6c8c0ae76651");
    }

    @Test
    void sha256_apiDocExample_matchesPythonHash() {
        assertThat(CacheKeys.sha256(Map.of("model", "gpt-4", "temperature", 0.7)))
                .hasSize(64)
                .isEqualTo("e3d3c500d965d4688e3c165196ea356eae7da6c6999fdc7162832051b7f7ee3e");
    }

    @Test
    void sha256_null_hashesJsonNullAsPythonHashesNone() {
        assertThat(CacheKeys.sha256(null))
                .isEqualTo("74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b");
    }

    // Java types Python does not have ------------------------------------------------------------

    enum Color { RED }

    @Test
    void sha256_enumOrCharacter_hashesLikeTheEquivalentString() {
        assertThat(CacheKeys.sha256(Color.RED)).isEqualTo(CacheKeys.sha256("RED"));
        assertThat(CacheKeys.sha256('x')).isEqualTo(CacheKeys.sha256("x"));
        assertThat(PythonJson.dumps(Map.of('c', 'x', Color.RED, Color.RED)))
                .isEqualTo("{\"RED\": \"RED\", \"c\": \"x\"}");
    }

    @Test
    void dumps_float_isWidenedToDouble() {
        assertThat(PythonJson.dumps(0.1f)).isEqualTo("0.10000000149011612");
        assertThat(PythonJson.dumps(new float[] {0.5f, Float.NaN, Float.NEGATIVE_INFINITY}))
                .isEqualTo("[0.5, NaN, -Infinity]");
    }

    @Test
    void dumps_everyIntegerType_printsDecimal() {
        List<Object> integers = List.of((byte) -8, (short) 300, 7, 1L << 40, new AtomicInteger(-3),
                new AtomicLong(Long.MIN_VALUE), BigInteger.TEN.pow(25));

        assertThat(PythonJson.dumps(integers))
                .isEqualTo("[-8, 300, 7, 1099511627776, -3, -9223372036854775808, 10000000000000000000000000]");
    }

    @Test
    void dumps_arrays_printAsLists() {
        Object[] nested = {new int[] {1, 2}, new long[] {3L}, new short[] {4}, new double[] {0.1, 1e16},
            new boolean[] {true, false}, new Object[] {}, new String[] {"a"}};

        assertThat(PythonJson.dumps(nested)).isEqualTo("[[1, 2], [3], [4], [0.1, 1e+16], [true, false], [], [\"a\"]]");
    }

    @Test
    void dumps_integerKeysOfDifferentTypes_sortByValue() {
        Map<Object, String> map = new LinkedHashMap<>();
        map.put(10L, "ten");
        map.put(2, "two");
        map.put(BigInteger.valueOf(-1), "minus one");
        map.put(2.5, "two and a half");
        map.put(false, "false");

        assertThat(PythonJson.dumps(map))
                .isEqualTo("{\"-1\": \"minus one\", \"false\": \"false\", \"2\": \"two\", "
                        + "\"2.5\": \"two and a half\", \"10\": \"ten\"}");
    }

    @Test
    void dumps_keysBeyondBmp_sortByCodePointNotUtf16Unit() {
        Map<String, Integer> map = new HashMap<>();
        map.put("😀", 1);
        map.put("\uffff", 2);

        assertThat("😀".compareTo("\uffff")).isNegative();
        assertThat(PythonJson.dumps(map)).isEqualTo("{\"\\uffff\": 2, \"\\ud83d\\ude00\": 1}");
    }

    // Rejected input -----------------------------------------------------------------------------

    @Test
    void sha256_mixedStringAndIntegerKeys_throwsIllegalArgumentExceptionNamingTheMap() {
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put("a", 1);
        inner.put(2, "b");
        Map<String, Object> outer = Map.of("messages", List.of("x", inner));

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(outer))
                .withMessageContaining("The map at $.messages[1]")
                .withMessageContaining("Integer, String")
                .withMessageContaining("TypeError");
    }

    @Test
    void sha256_nullKeyBesideOthers_throwsIllegalArgumentException() {
        Map<String, Integer> map = new HashMap<>();
        map.put(null, 1);
        map.put("a", 2);

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(map))
                .withMessageContaining("null key beside other keys");
    }

    @Test
    void sha256_keysEqualInPython_throwsIllegalArgumentException() {
        Map<Object, String> numbers = new LinkedHashMap<>();
        numbers.put(1, "int");
        numbers.put(1L, "long");
        Map<Object, String> boolAndOne = new LinkedHashMap<>();
        boolAndOne.put(true, "bool");
        boolAndOne.put(1.0, "float");
        Map<Object, String> strings = new LinkedHashMap<>();
        strings.put("a", "string");
        strings.put('a', "char");

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(numbers))
                .withMessageContaining("same key in Python");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(boolAndOne))
                .withMessageContaining("same key in Python");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(strings))
                .withMessageContaining("\"a\" (String)").withMessageContaining("\"a\" (Character)");
    }

    @Test
    void sha256_nanKeyBesideOthers_throwsIllegalArgumentException() {
        Map<Double, String> map = new LinkedHashMap<>();
        map.put(Double.NaN, "nan");
        map.put(1.0, "one");

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(map))
                .withMessageContaining("NaN key");
    }

    @Test
    void sha256_set_throwsIllegalArgumentException() {
        Map<String, Object> tagged = Map.of("tags", new HashSet<>(Set.of("a")));

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(tagged))
                .withMessageContaining("Set (java.util.HashSet) at $.tags")
                .withMessageContaining("pass a List");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(new TreeSet<>(Set.of(1))))
                .withMessageContaining("cannot serialize a set");
    }

    @Test
    void sha256_collectionThatIsNotList_throwsIllegalArgumentException() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(new ArrayDeque<>(List.of(1))))
                .withMessageContaining("java.util.ArrayDeque at $ is not accepted")
                .withMessageContaining("copy it into a List");
    }

    @Test
    void sha256_bigDecimal_throwsIllegalArgumentException() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(List.of(new BigDecimal("0.1"))))
                .withMessageContaining("BigDecimal at $[0]")
                .withMessageContaining("doubleValue()");
    }

    record User(String name) {
    }

    @Test
    void sha256_recordOrPojoOrOptional_throwsIllegalArgumentExceptionListingAcceptedTypes() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(Map.of("user", new User("ann"))))
                .withMessageContaining(User.class.getName() + " at $.user is not accepted")
                .withMessageContaining("accepted: String, Character, Enum, Boolean");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(Optional.of("x")))
                .withMessageContaining("java.util.Optional at $ is not accepted");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(new Object()))
                .withMessageContaining("java.lang.Object at $ is not accepted");
    }

    @Test
    void sha256_byteOrCharArray_throwsIllegalArgumentException() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(new byte[] {1}))
                .withMessageContaining("byte[] at $ is not accepted");
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(new char[] {'a'}))
                .withMessageContaining("char[] at $ is not accepted");
    }

    @Test
    void sha256_unsupportedMapKey_throwsIllegalArgumentException() {
        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(Map.of(List.of(1), "v")))
                .withMessageContaining("Map key of type")
                .withMessageContaining("in the map at $");
    }

    @Test
    void sha256_valueContainingItself_throwsIllegalArgumentException() {
        List<Object> list = new ArrayList<>();
        list.add("x");
        list.add(list);

        assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.sha256(Map.of("a b", list)))
                .withMessageContaining("Circular reference at $[\"a b\"][1]");
    }

    @Test
    void sha256_sameListTwice_isNotCircular() {
        List<Integer> shared = List.of(1);

        assertThat(PythonJson.dumps(List.of(shared, shared))).isEqualTo("[[1], [1]]");
    }

    // Helpers ------------------------------------------------------------------------------------

    private static JsonNode readFixture() {
        try (InputStream in = CacheKeysTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("classpath resource %s", FIXTURE).isNotNull();
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Arguments> namedEntries(String field) {
        List<Arguments> entries = new ArrayList<>();
        FIXTURE_ROOT.get(field).forEach(node -> entries.add(Arguments.of(Named.of(node.get("name").asText(), node))));
        assertThat(entries).isNotEmpty();
        return entries.stream();
    }

    /** Rebuilds the Java value a tagged fixture input describes (see generate_fixture.py). */
    private static Object rebuild(JsonNode tagged) {
        JsonNode v = tagged.get("v");
        return switch (tagged.get("t").asText()) {
            case "null" -> null;
            case "bool" -> v.booleanValue();
            case "int" -> integer(new BigInteger(v.asText()));
            case "float" -> Double.parseDouble(v.asText());
            case "str" -> v.textValue();
            case "list" -> {
                List<Object> list = new ArrayList<>();
                v.forEach(item -> list.add(rebuild(item)));
                yield list;
            }
            case "map" -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                v.forEach(pair -> map.put(rebuild(pair.get(0)), rebuild(pair.get(1))));
                yield map;
            }
            default -> throw new IllegalArgumentException("unknown tag in fixture: " + tagged);
        };
    }

    /** The narrowest of Integer, Long and BigInteger, as Jackson reads JSON integers. */
    private static Object integer(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return value.intValueExact();
        }
        return value.bitLength() < Long.SIZE ? (Object) value.longValueExact() : value;
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
