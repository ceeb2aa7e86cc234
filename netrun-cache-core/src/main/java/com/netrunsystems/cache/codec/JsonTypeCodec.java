package com.netrunsystems.cache.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON bound to one Java type; see {@link Codecs#json(Class)}. */
public final class JsonTypeCodec<T> implements ValueCodec<T> {

    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final String description;

    public JsonTypeCodec(ObjectMapper mapper, JavaType type) {
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
        this.description = "json(" + type.toCanonical() + ")";
    }

    @Override
    public byte[] encode(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String description() {
        return description;
    }
}
