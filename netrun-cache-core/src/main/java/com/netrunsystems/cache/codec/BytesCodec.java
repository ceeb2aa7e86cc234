package com.netrunsystems.cache.codec;

import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;

/** Byte arrays as they are; see {@link Codecs#bytes()}. */
public final class BytesCodec implements ValueCodec<byte[]> {

    public static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public byte[] encode(byte[] value) {
        return value;
    }

    @Override
    public byte[] decode(byte[] bytes) {
        return bytes;
    }

    @Override
    public String description() {
        return "bytes";
    }
}
