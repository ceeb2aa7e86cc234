package com.netrunsystems.cache.codec;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A map entry with its key as Python would see it: its kind, its printed text and, for a number, its
 * exact value (Booleans as 0 and 1) or which infinity it is (-1 or 1, else 0); and the order
 * {@link PythonJson} sorts keys in, failing where Python's {@code json.dumps(sort_keys=True)} raises.
 * Immutable.
 */
record PythonKey(Kind kind, Object original, String text, int infinity, BigDecimal number, Object value) {

    enum Kind { NULL, NAN, STRING, NUMBER }

    /**
     * Returns {@code key} (with its {@code value}) as Python sees it.
     *
     * @param path the path of the map, for the message of an unaccepted key type
     */
    static PythonKey of(Object key, Object value, Supplier<String> path) {
        if (key == null) {
            return new PythonKey(Kind.NULL, key, "null", 0, null, value);
        }
        if (key instanceof String s) {
            return new PythonKey(Kind.STRING, key, s, 0, null, value);
        }
        if (key instanceof Character c) {
            return new PythonKey(Kind.STRING, key, String.valueOf(c.charValue()), 0, null, value);
        }
        if (key instanceof Enum<?> e) {
            return new PythonKey(Kind.STRING, key, e.name(), 0, null, value);
        }
        if (key instanceof Boolean b) {
            BigDecimal number = b ? BigDecimal.ONE : BigDecimal.ZERO;
            return new PythonKey(Kind.NUMBER, key, b ? "true" : "false", 0, number, value);
        }
        if (PythonJson.isInteger(key)) {
            String text = key.toString();
            return new PythonKey(Kind.NUMBER, key, text, 0, new BigDecimal(text), value);
        }
        if (key instanceof Double || key instanceof Float) {
            double d = ((Number) key).doubleValue();
            if (Double.isNaN(d)) {
                return new PythonKey(Kind.NAN, key, "NaN", 0, null, value);
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? new PythonKey(Kind.NUMBER, key, "Infinity", 1, null, value)
                        : new PythonKey(Kind.NUMBER, key, "-Infinity", -1, null, value);
            }
            return new PythonKey(Kind.NUMBER, key, PythonFloat.repr(d), 0, new BigDecimal(d), value);
        }
        throw new IllegalArgumentException("Map key of type " + key.getClass().getName() + " in the map at "
                + path.get() + " is not accepted; keys must be String, Character, Enum, Boolean, Byte, Short, "
                + "Integer, Long, BigInteger, AtomicInteger, AtomicLong, Float, Double or null");
    }

    /**
     * Sorts two or more keys as Python's sorted(dict.items()) does, or fails where Python raises.
     *
     * @param path the path of the map, for the messages
     */
    static void sort(List<PythonKey> keys, Supplier<String> path) {
        boolean strings = false;
        boolean numbers = false;
        for (PythonKey key : keys) {
            switch (key.kind) {
                case NULL -> throw new IllegalArgumentException("The map at " + path.get()
                        + " has a null key beside other keys; Python's json.dumps(sort_keys=True) raises "
                        + "TypeError because None cannot be compared with other keys");
                case NAN -> throw new IllegalArgumentException("The map at " + path.get()
                        + " has a NaN key beside other keys; Python gives them no defined order");
                case STRING -> strings = true;
                case NUMBER -> numbers = true;
            }
        }
        if (strings && numbers) {
            throw new IllegalArgumentException("The map at " + path.get() + " mixes string keys with numeric or "
                    + "boolean keys (" + keyTypes(keys) + "); Python's json.dumps(sort_keys=True) raises "
                    + "TypeError because it cannot compare them. Use keys of one kind");
        }
        Comparator<PythonKey> order = strings
                ? (a, b) -> compareCodePoints(a.text, b.text)
                : PythonKey::compareNumbers;
        keys.sort(order);
        for (int i = 1; i < keys.size(); i++) {
            if (order.compare(keys.get(i - 1), keys.get(i)) == 0) {
                throw new IllegalArgumentException("The map at " + path.get() + " has keys "
                        + describe(keys.get(i - 1).original) + " and " + describe(keys.get(i).original)
                        + ", which are the same key in Python; keep one");
            }
        }
    }

    /** Compares strings by Unicode code point, as Python compares {@code str}. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int compareNumbers(PythonKey a, PythonKey b) {
        if (a.infinity != 0 || b.infinity != 0) {
            return Integer.compare(a.infinity, b.infinity);
        }
        return a.number.compareTo(b.number);
    }

    private static String keyTypes(List<PythonKey> keys) {
        return keys.stream().map(k -> k.original.getClass().getSimpleName()).distinct().sorted()
                .reduce((x, y) -> x + ", " + y).orElse("");
    }

    private static String describe(Object key) {
        String shown = key instanceof String || key instanceof Character ? "\"" + key + "\"" : String.valueOf(key);
        return shown + " (" + key.getClass().getSimpleName() + ")";
    }
}
