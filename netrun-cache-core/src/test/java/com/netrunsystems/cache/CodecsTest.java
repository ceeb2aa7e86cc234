package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Codecs}: JSON trees as the Python netrun-cache stores them, typed JSON, strings, bytes, and safety. */
class CodecsTest {

    private final ValueCodec<Object> json = Codecs.json();

    record User(String name, int age, List<String> roles) {
    }

    /** Not a JSON tree type: json() must refuse it and point to json(Class). */
    static final class Pojo {
        public String name = "x";
    }

    // ---------------------------------------------------------------- json(): round trips

    @Test
    void json_map_roundTrips() {
        Map<String, Object> map = Map.of("name", "Alice", "age", 30, "active", true, "score", 0.5);

        assertThat(roundTrip(map)).isEqualTo(map);
    }

    @Test
    void json_nestedMapsAndLists_roundTrip() {
        Map<String, Object> nested = Map.of(
                "user", Map.of("name", "Alice", "tags", List.of("a", "b")),
                "matrix", List.of(List.of(1, 2), List.of(3, 4)),
                "empty", Map.of(),
                "none", List.of());

        assertThat(roundTrip(nested)).isEqualTo(nested);
    }

    @Test
    void json_mapWithNullValue_roundTrips() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("present", "v");
        map.put("absent", null);

        assertThat(roundTrip(map)).isEqualTo(map);
    }

    @Test
    void json_list_roundTrips() {
        List<Object> list = List.of("a", 1, false, 2.5, Map.of("k", "v"));

        assertThat(roundTrip(list)).isEqualTo(list);
    }

    @Test
    void json_string_roundTripsAsString() {
        assertThat(roundTrip("hello")).isEqualTo("hello");
        assertThat(roundTrip("héllo ✓ 日本")).isEqualTo("héllo ✓ 日本");
        assertThat(roundTrip("")).isEqualTo("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "[1,2]", "{\"a\":1}", "\"quoted\"", "hello world"})
    void json_stringThatLooksLikeJson_roundTripsAsTheSameString(String text) {
        assertThat(roundTrip(text)).isEqualTo(text);
    }

    @Test
    void json_integer_roundTripsAsInteger() {
        assertThat(roundTrip(42)).isEqualTo(42);
        assertThat(roundTrip(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void json_long_decodesAsSmallestFittingType() {
        assertThat(roundTrip(10_000_000_000L)).isEqualTo(10_000_000_000L);
        assertThat(roundTrip(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(roundTrip(42L)).isEqualTo(42);
    }

    @Test
    void json_bigInteger_roundTrips() {
        BigInteger huge = new BigInteger("123456789012345678901234567890");

        assertThat(roundTrip(huge)).isEqualTo(huge);
    }

    @Test
    void json_double_roundTrips() {
        assertThat(roundTrip(0.5)).isEqualTo(0.5);
        assertThat(roundTrip(-1.25e-10)).isEqualTo(-1.25e-10);
        assertThat(roundTrip(1.0)).isEqualTo(1.0);
    }

    @Test
    void json_boolean_roundTrips() {
        assertThat(roundTrip(true)).isEqualTo(true);
        assertThat(roundTrip(false)).isEqualTo(false);
    }

    @Test
    void json_collectionsAndArrays_encodeAsJsonLists() {
        assertThat(roundTrip(new ArrayList<>(List.of("a", "b")))).isEqualTo(List.of("a", "b"));
        assertThat(roundTrip(new String[] {"a", "b"})).isEqualTo(List.of("a", "b"));
        assertThat(roundTrip(new int[] {1, 2})).isEqualTo(List.of(1, 2));
    }

    @Test
    void json_map_encodesAsCompactUtf8Json() {
        assertThat(new String(json.encode(Map.of("name", "Zoë")), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Zoë\"}");
        assertThat(new String(json.encode("text"), StandardCharsets.UTF_8)).isEqualTo("\"text\"");
    }

    // ---------------------------------------------------------------- json(): decoding what Python writes

    @Test
    void json_quotedString_decodesToTheString() {
        assertThat(decode("\"hello\"")).isEqualTo("hello");
    }

    @Test
    void json_pythonJsonDumps_decodesToTree() {
        assertThat(decode("{\"name\": \"Alice\", \"tags\": [\"a\", \"b\"], \"age\": 30, \"score\": 0.5, \"ok\": true}"))
                .isEqualTo(Map.of("name", "Alice", "tags", List.of("a", "b"), "age", 30, "score", 0.5, "ok", true));
        assertThat(decode("[1, 2.5, \"x\"]")).isEqualTo(List.of(1, 2.5, "x"));
        assertThat(decode("42")).isEqualTo(42);
        assertThat(decode("{\"text\": \"\\u00e9\"}")).isEqualTo(Map.of("text", "é"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world", "42 abc", "hello", "{not json", "[1, 2", "None", "True", "'single'"})
    void json_nonJsonPayload_decodesAsRawString(String payload) {
        assertThat(decode(payload)).isEqualTo(payload);
    }

    @Test
    void json_invalidUtf8_decodesAsRawStringWithoutThrowing() {
        byte[] invalid = {(byte) 0xff, (byte) 0xfe, 'a', 'b'};

        Object decoded = json.decode(invalid);

        assertThat(decoded).isInstanceOf(String.class).isEqualTo(new String(invalid, StandardCharsets.UTF_8));
        assertThat((String) decoded).endsWith("ab");
    }

    @Test
    void json_invalidUtf8InsideJsonString_decodesAsRawString() {
        byte[] invalid = {'"', (byte) 0xc3, (byte) 0x28, '"'};

        assertThat(json.decode(invalid)).isInstanceOf(String.class);
    }

    @Test
    void json_nanAndInfinity_writtenBareAndReadBack() {
        assertThat(new String(json.encode(Double.NaN), StandardCharsets.UTF_8)).isEqualTo("NaN");
        assertThat(new String(json.encode(Double.POSITIVE_INFINITY), StandardCharsets.UTF_8)).isEqualTo("Infinity");
        assertThat(new String(json.encode(Map.of("x", Double.NEGATIVE_INFINITY)), StandardCharsets.UTF_8))
                .isEqualTo("{\"x\":-Infinity}");

        assertThat((Double) decode("NaN")).isNaN();
        assertThat(decode("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decode("[NaN, -Infinity]")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .hasSize(2).element(1).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------- json(): refusing what is not a tree

    @Test
    void json_pojo_throwsNamingTypeAndSuggestingTypedCodec() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> json.encode(new Pojo()))
                .withMessageContaining(Pojo.class.getName())
                .withMessageContaining("Codecs.json(Pojo.class)");
    }

    @Test
    void json_record_throwsNamingTypeAndSuggestingTypedCodec() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> json.encode(new User("Alice", 30, List.of())))
                .withMessageContaining("User")
                .withMessageContaining("Codecs.json(User.class)");
    }

    @Test
    void json_pojoNestedInTree_throwsNamingTypeAndWhereItIs() {
        Map<String, Object> tree = Map.of("users", List.of(Map.of("profile", new Pojo())));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> json.encode(tree))
                .withMessageContaining(Pojo.class.getName())
                .withMessageContaining("users[0].profile");
    }

    @Test
    void json_mapWithNonStringKeys_throwsNamingKeyType() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> json.encode(Map.of(1, "one")))
                .withMessageContaining("java.lang.Integer");
    }

    // ---------------------------------------------------------------- typed JSON

    @Test
    void jsonClass_record_roundTrips() {
        ValueCodec<User> codec = Codecs.json(User.class);
        User alice = new User("Alice", 30, List.of("admin"));

        assertThat(codec.decode(codec.encode(alice))).isEqualTo(alice);
        assertThat(codec.description()).contains("User");
    }

    @Test
    void jsonClass_unknownFields_areTolerated() {
        ValueCodec<User> codec = Codecs.json(User.class);

        User decoded = codec.decode("{\"name\":\"Bob\",\"age\":7,\"roles\":[],\"addedLater\":true}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isEqualTo(new User("Bob", 7, List.of()));
    }

    @Test
    void jsonClass_garbage_throwsRuntimeException() {
        ValueCodec<User> codec = Codecs.json(User.class);

        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void jsonTypeReference_listOfRecords_roundTripsWithElementType() {
        ValueCodec<List<User>> codec = Codecs.json(new TypeReference<List<User>>() { });
        List<User> users = List.of(new User("Alice", 30, List.of("admin")), new User("Bob", 7, List.of()));

        List<User> decoded = codec.decode(codec.encode(users));

        assertThat(decoded).isEqualTo(users);
        assertThat(decoded.get(0)).isInstanceOf(User.class);
    }

    @Test
    void jsonJavaType_mapOfRecords_roundTrips() {
        ObjectMapper mapper = new ObjectMapper();
        ValueCodec<Map<String, User>> codec = Codecs.json(
                mapper.getTypeFactory().constructMapType(Map.class, String.class, User.class));
        Map<String, User> users = Map.of("a", new User("Alice", 30, List.of()));

        assertThat(codec.decode(codec.encode(users))).isEqualTo(users);
    }

    @Test
    void jsonWithMapper_plainMapper_isAcceptedAndUsed() {
        ValueCodec<User> codec = Codecs.json(JsonMapper.builder().build(), User.class);
        User alice = new User("Alice", 30, List.of());

        assertThat(codec.decode(codec.encode(alice))).isEqualTo(alice);
    }

    // ---------------------------------------------------------------- security: a payload never picks a class

    private static final String SPRING_GADGET =
            "[\"org.springframework.context.support.ClassPathXmlApplicationContext\",\"http://127.0.0.1:1/x.xml\"]";

    private static String processBuilderGadget(Path marker) {
        return "{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"touch\",\"" + marker + "\"]}";
    }

    @Test
    void json_gadgetArrayPayload_decodesAsPlainListOfStrings() {
        Object decoded = decode(SPRING_GADGET);

        assertThat(decoded).isEqualTo(List.of(
                "org.springframework.context.support.ClassPathXmlApplicationContext", "http://127.0.0.1:1/x.xml"));
    }

    @Test
    void json_classPropertyPayload_decodesAsPlainMapAndRunsNothing(@TempDir Path dir) {
        Path marker = dir.resolve("pwned");

        Object decoded = decode(processBuilderGadget(marker));

        assertThat(decoded).isInstanceOf(Map.class);
        assertThat(decoded).isEqualTo(Map.of("@class", "java.lang.ProcessBuilder",
                "command", List.of("touch", marker.toString())));
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    @SuppressWarnings("rawtypes")
    void jsonMapClass_gadgetPayloads_decodeAsPlainMaps(@TempDir Path dir) {
        Path marker = dir.resolve("pwned");
        ValueCodec<Map> codec = Codecs.json(Map.class);

        Map<?, ?> decoded = codec.decode(processBuilderGadget(marker).getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isInstanceOf(LinkedHashMap.class);
        assertThat(decoded.get("@class")).isEqualTo("java.lang.ProcessBuilder");
        assertThat(decoded.values()).noneMatch(ProcessBuilder.class::isInstance);
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void jsonObjectClass_gadgetPayloads_decodeAsPlainTrees(@TempDir Path dir) {
        ValueCodec<Object> codec = Codecs.json(Object.class);

        assertThat(codec.decode(SPRING_GADGET.getBytes(StandardCharsets.UTF_8))).isInstanceOf(List.class);
        assertThat(codec.decode(processBuilderGadget(dir.resolve("pwned")).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Map.class);
    }

    @Test
    void jsonWithMapper_defaultTypingEnabled_isRefused() {
        ObjectMapper unsafe = new ObjectMapper();
        unsafe.activateDefaultTyping(LaissezFaireSubTypeValidator.instance);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Codecs.json(unsafe, User.class))
                .withMessageContaining("default typing");
    }

    @Test
    void jsonWithMapper_everythingDefaultTypingViaBuilder_isRefused() {
        ObjectMapper unsafe = JsonMapper.builder()
                .activateDefaultTyping(LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.EVERYTHING)
                .build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Codecs.json(unsafe, Object.class))
                .withMessageContaining("default typing");
    }

    // ---------------------------------------------------------------- string() and bytes()

    @Test
    void string_roundTripsAsRawUtf8() {
        ValueCodec<String> codec = Codecs.string();

        assertThat(codec.encode("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(codec.decode(codec.encode("héllo ✓"))).isEqualTo("héllo ✓");
        assertThat(codec.decode(codec.encode(""))).isEmpty();
        assertThat(codec.decode(codec.encode("{\"a\":1}"))).isEqualTo("{\"a\":1}");
        assertThat(codec.description()).isEqualTo("string");
    }

    @Test
    void bytes_roundTripUnchanged() {
        ValueCodec<byte[]> codec = Codecs.bytes();
        byte[] data = {0, 1, (byte) 0xff, 42};

        assertThat(codec.decode(codec.encode(data))).containsExactly(data);
        assertThat(codec.decode(codec.encode(new byte[0]))).isEmpty();
        assertThat(codec.description()).isEqualTo("bytes");
    }

    @Test
    void json_description_isJson() {
        assertThat(json.description()).isEqualTo("json");
    }

    // ---------------------------------------------------------------- json(): cycles, depth and reader limits

    @Test
    void json_cyclicMap_throwsNamingTheCycleNotStackOverflow() {
        Map<String, Object> parent = new LinkedHashMap<>();
        Map<String, Object> child = new LinkedHashMap<>();
        parent.put("child", child);
        child.put("parent", parent);

        assertThatIllegalArgumentException().isThrownBy(() -> json.encode(parent))
                .withMessageContaining("contains itself")
                .withMessageContaining("value.child.parent");
    }

    @Test
    void json_cyclicList_throwsNamingTheCycle() {
        List<Object> list = new ArrayList<>();
        list.add(1);
        list.add(list);

        assertThatIllegalArgumentException().isThrownBy(() -> json.encode(list))
                .withMessageContaining("contains itself")
                .withMessageContaining("value[1]");
    }

    @Test
    void json_sameListTwiceWithoutCycle_encodes() {
        List<Object> shared = List.of(1, 2);
        assertThat(roundTrip(List.of(shared, shared))).isEqualTo(List.of(List.of(1, 2), List.of(1, 2)));
    }

    @Test
    void json_nestedDeeperThanTheLimit_throwsClearErrorNotStackOverflow() {
        List<Object> deep = new ArrayList<>();
        List<Object> innermost = deep;
        for (int i = 0; i < 100_000; i++) {
            List<Object> next = new ArrayList<>();
            innermost.add(next);
            innermost = next;
        }

        assertThatIllegalArgumentException().isThrownBy(() -> json.encode(deep))
                .withMessageContaining("nested deeper than 1000 levels");
    }

    @Test
    void json_nestedToTheLimit_roundTrips() {
        List<Object> deep = new ArrayList<>();
        List<Object> innermost = deep;
        for (int i = 1; i < 999; i++) { // 999 arrays in all
            List<Object> next = new ArrayList<>();
            innermost.add(next);
            innermost = next;
        }
        assertThat(roundTrip(deep)).isEqualTo(deep);
    }

    @Test
    void json_decodeValidJsonDeeperThanTheReaderLimit_throwsInsteadOfReturningTheRawString() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatIllegalArgumentException().isThrownBy(() -> decode(deep))
                .withMessageContaining("limits");
    }

    @Test
    void json_decodeNumberLongerThanTheReaderLimit_throwsInsteadOfReturningTheRawString() {
        String huge = "[" + "7".repeat(5_000) + "]";

        assertThatIllegalArgumentException().isThrownBy(() -> decode(huge))
                .withMessageContaining("limits");
    }

    // ---------------------------------------------------------------- helpers

    private Object roundTrip(Object value) {
        return json.decode(json.encode(value));
    }

    private Object decode(String payload) {
        return json.decode(payload.getBytes(StandardCharsets.UTF_8));
    }
}
