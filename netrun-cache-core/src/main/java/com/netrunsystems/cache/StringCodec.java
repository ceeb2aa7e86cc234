package com.netrunsystems.cache;

import java.nio.charset.StandardCharsets;

/** Strings as raw UTF-8; see {@link Codecs#string()}. */
final class StringCodec implements ValueCodec<String> {

    static final StringCodec INSTANCE = new StringCodec();

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
