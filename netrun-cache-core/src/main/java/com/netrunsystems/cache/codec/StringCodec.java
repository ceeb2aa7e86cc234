package com.netrunsystems.cache.codec;

import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import java.nio.charset.StandardCharsets;

/** Strings as raw UTF-8; see {@link Codecs#string()}. */
public final class StringCodec implements ValueCodec<String> {

    public static final StringCodec INSTANCE = new StringCodec();

    private StringCodec() {
    }

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String description() {
        return "string";
    }
}
