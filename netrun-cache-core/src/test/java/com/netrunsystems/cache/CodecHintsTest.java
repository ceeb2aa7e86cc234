package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hint the JSON-tree codec prints works when followed (issue 16, item 3): the value it refuses
 * round-trips through the codec the message names, in the JSON form the Python package can read
 * (java.time as ISO-8601 strings, never numeric timestamps).
 */
class CodecHintsTest {

    private static final Pattern TYPED_HINT = Pattern.compile("use Codecs\\.json\\((\\w+)\\.class\\)");

    public record Order(String id, LocalDate placed, Optional<String> note, List<Integer> items) {
    }

    public enum Colour { RED, GREEN }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of(LocalDate.of(2024, 5, 1), "\"2024-05-01\""),
                Arguments.of(LocalDateTime.of(2024, 5, 1, 10, 15, 30), "\"2024-05-01T10:15:30\""),
                Arguments.of(LocalTime.of(10, 15), "\"10:15:00\""),
                Arguments.of(Instant.parse("2024-05-01T10:15:30Z"), "\"2024-05-01T10:15:30Z\""),
                Arguments.of(OffsetDateTime.of(2024, 5, 1, 10, 15, 30, 0, ZoneOffset.ofHours(2)),
                        "\"2024-05-01T10:15:30+02:00\""),
                Arguments.of(Duration.ofMinutes(5), "\"PT5M\""),
                Arguments.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                        "\"123e4567-e89b-12d3-a456-426614174000\""),
                Arguments.of(Optional.of("gift"), "\"gift\""),
                Arguments.of(Colour.GREEN, "\"GREEN\""),
                Arguments.of(new Order("o-1", LocalDate.of(2024, 5, 1), Optional.empty(), List.of(1, 2)),
                        "{\"id\":\"o-1\",\"placed\":\"2024-05-01\",\"note\":null,\"items\":[1,2]}"));
    }

    @ParameterizedTest
    @MethodSource("refusedValues")
    void jsonTree_refusedValue_theHintedCodecRoundTripsIt(Object value, String expectedJson) {
        Throwable refused = catchThrowable(() -> Codecs.json().encode(value));
        assertThat(refused).isInstanceOf(IllegalArgumentException.class);

        Matcher hint = TYPED_HINT.matcher(refused.getMessage());
        assertThat(hint.find()).as(refused.getMessage()).isTrue();
        assertThat(hint.group(1)).isEqualTo(value.getClass().getSimpleName());
        @SuppressWarnings("unchecked")
        ValueCodec<Object> followed = (ValueCodec<Object>) Codecs.json(value.getClass());

        byte[] encoded = followed.encode(value);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(expectedJson);
        assertThat(followed.decode(encoded)).isEqualTo(value);
    }

    @Test
    void jsonTree_byteArray_theHintedBytesCodecRoundTripsIt() {
        byte[] value = {1, 2, 3};
        Throwable refused = catchThrowable(() -> Codecs.json().encode(value));

        assertThat(refused).hasMessageContaining("use Codecs.bytes()");
        assertThat(Codecs.bytes().decode(Codecs.bytes().encode(value))).containsExactly(1, 2, 3);
    }

    @Test
    void jsonTree_dateInsideAMap_theHintedTypeReferenceRoundTripsTheWholeValue() {
        Map<String, LocalDate> value = Map.of("placed", LocalDate.of(2024, 5, 1));
        Throwable refused = catchThrowable(() -> Codecs.json().encode(value));

        assertThat(refused).hasMessageContaining("at value.placed")
                .hasMessageContaining("Codecs.json(new TypeReference<Map<String, LocalDate>>() {})");
        ValueCodec<Map<String, LocalDate>> followed = Codecs.json(new TypeReference<Map<String, LocalDate>>() {});
        byte[] encoded = followed.encode(value);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("{\"placed\":\"2024-05-01\"}");
        assertThat(followed.decode(encoded)).isEqualTo(value);
    }

    @Test
    void jsonTree_anonymousClass_hintNamesNoUnusableClassLiteral() {
        Object anonymous = new Object() {
            @SuppressWarnings("unused")
            public String getName() {
                return "x";
            }
        };
        Throwable refused = catchThrowable(() -> Codecs.json().encode(anonymous));

        assertThat(refused.getMessage()).doesNotContain("Codecs.json(.class)").contains("Codecs.json(YourType.class)");
    }
}
