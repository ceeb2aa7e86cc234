package com.netrunsystems.cache;

/** Byte arrays as they are; see {@link Codecs#bytes()}. */
final class BytesCodec implements ValueCodec<byte[]> {

    static final BytesCodec INSTANCE = new BytesCodec();

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
