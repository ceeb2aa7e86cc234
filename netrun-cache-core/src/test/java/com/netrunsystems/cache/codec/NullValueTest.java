package com.netrunsystems.cache.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.type.TypeFactory;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The marker a {@link Cached#cacheNulls()} method stores for {@code null} in JSON backends. */
class NullValueTest {

    private final ValueCodec<Object> codec =
            NullValue.codec(Codecs.json(TypeFactory.defaultInstance().constructType(String.class)));

    @Test
    void codec_marker_roundTripsAsNonJsonBytes() {
        byte[] encoded = codec.encode(NullValue.INSTANCE);

        assertThat(new String(encoded, StandardCharsets.US_ASCII)).isEqualTo("netrun-cache:null");
        assertThat(codec.decode(encoded)).isSameAs(NullValue.INSTANCE);
    }

    @Test
    void codec_stringThatReadsLikeTheMarker_staysAString() {
        byte[] encoded = codec.encode("netrun-cache:null");

        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("\"netrun-cache:null\"");
        assertThat(codec.decode(encoded)).isEqualTo("netrun-cache:null");
    }
}
