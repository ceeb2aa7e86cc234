package com.netrunsystems.cache.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Writes Java values as Python's {@code json.dumps(value, sort_keys=True)} prints the equivalent
 * Python value, character for character: separators {@code ", "} and {@code ": "}, every character
 * outside printable ASCII escaped as lowercase {@code \}{@code uXXXX} (DEL included, characters
 * beyond the BMP as surrogate pairs), floats spelled as Python's {@code repr(float)}, and map keys
 * sorted as Python sorts them ({@link PythonKey}). This class is stateless and thread-safe.
 *
 * <p>Values map to Python as follows:
 * <ul>
 *   <li>{@code null} is {@code None}; {@code Boolean} is {@code bool}; {@code String} is {@code str}.
 *   <li>{@code Character} is a one-character {@code str}; an {@code Enum} is the {@code str} of its
 *       {@link Enum#name() name()}.
 *   <li>{@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code BigInteger},
 *       {@code AtomicInteger} and {@code AtomicLong} are {@code int}, printed in decimal at any size.
 *   <li>{@code Double} is {@code float}, including {@code NaN}, {@code Infinity}, {@code -Infinity}
 *       and {@code -0.0}. A {@code Float} is widened to {@code double} first, as Python only has
 *       doubles: {@code 0.1f} prints {@code 0.10000000149011612}.
 *   <li>A {@code Map} is a {@code dict}. A {@code List}, an {@code Object[]}, and an {@code int[]},
 *       {@code long[]}, {@code short[]}, {@code double[]}, {@code float[]} or {@code boolean[]} are a
 *       {@code list}, in their own order.
 * </ul>
 *
 * <p>Map keys are {@code String}, {@code Character} or {@code Enum} (Python {@code str}), or
 * {@code Boolean}, an integer type, {@code Float} or {@code Double} (printed as Python prints
 * {@code bool}, {@code int} and {@code float} keys: {@code "true"}, {@code "10"}, {@code "1.5"}), or
 * {@code null} ({@code "null"}). Like Python, strings sort by code point (not by UTF-16 unit, as
 * {@link String#compareTo} does) and numeric keys sort by value, so {@code 2} comes before
 * {@code 10}.
 *
 * <p>Where Python would raise, or the value has no Python equivalent, this class throws an
 * {@link IllegalArgumentException} that gives the path of the offending value (such as
 * {@code $.messages[0]}): a map that mixes string keys with
 * numeric keys, or has a {@code null} key beside others (Python cannot compare them); a map with two
 * keys that would be one Python key ({@code 1} and {@code 1L}, {@code true} and {@code 1},
 * {@code "a"} and {@code 'a'}); a {@code NaN} key beside others (Python orders it arbitrarily); a
 * container that contains itself; a {@code Set} (Python cannot serialize sets; pass a {@code List} in
 * a defined order); any other {@code Collection} (pass a {@code List}); a {@code BigDecimal} (Python
 * cannot serialize {@code Decimal}; pass {@code doubleValue()} or {@code toPlainString()}); a
 * {@code byte[]} or {@code char[]} (ambiguous between binary data or text and a list); and any other
 * type, such as a POJO, a record or an {@code Optional}.
 *
 * <p>Python 3.11 also refuses to print an integer of more than 4300 digits by default; this class
 * prints it.
 */
public final class PythonJson {

    private static final String ACCEPTED = "String, Character, Enum, Boolean, Byte, Short, Integer, Long, "
            + "BigInteger, AtomicInteger, AtomicLong, Float, Double, null, Map, List, Object[] "
            + "and int/long/short/double/float/boolean arrays";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private PythonJson() {
    }

    /**
     * Returns the text Python's {@code json.dumps(value, sort_keys=True)} prints for the Python
     * equivalent of {@code value}. The text is pure ASCII.
     *
     * @throws IllegalArgumentException if {@code value} holds a type or a map Python could not print,
     *     as listed on this class; the message gives the path of the offending value
     */
    public static String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out).write(value);
        return out.toString();
    }

    /** Returns whether {@code value} is one of the types printed as a Python {@code int}. */
    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger
                || value instanceof AtomicInteger || value instanceof AtomicLong;
    }

    /** One dumps call: the output, the path to the value being written, the containers open on it. */
    private static final class Writer {

        private final StringBuilder out;
        private final List<Object> path = new ArrayList<>();
        private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Writer(StringBuilder out) {
            this.out = out;
        }

        void write(Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                writeString(s);
            } else if (value instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (isInteger(value)) {
                out.append(value);
            } else if (value instanceof Double d) {
                writeFloat(d);
            } else if (value instanceof Float f) {
                writeFloat(f.doubleValue());
            } else if (value instanceof Character c) {
                writeString(String.valueOf(c.charValue()));
            } else if (value instanceof Enum<?> e) {
                writeString(e.name());
            } else if (value instanceof Map<?, ?> map) {
                enter(map);
                writeMap(map);
                open.remove(map);
            } else if (value instanceof List<?> list) {
                enter(list);
                writeList(list.size(), list::get);
                open.remove(list);
            } else if (value instanceof Object[] array) {
                enter(array);
                writeList(array.length, i -> array[i]);
                open.remove(array);
            } else if (value instanceof int[] array) {
                writeList(array.length, i -> array[i]);
            } else if (value instanceof long[] array) {
                writeList(array.length, i -> array[i]);
            } else if (value instanceof short[] array) {
                writeList(array.length, i -> array[i]);
            } else if (value instanceof double[] array) {
                writeList(array.length, i -> array[i]);
            } else if (value instanceof float[] array) {
                writeList(array.length, i -> array[i]);
            } else if (value instanceof boolean[] array) {
                writeList(array.length, i -> array[i]);
            } else {
                throw rejected(value);
            }
        }

        private void enter(Object container) {
            if (!open.add(container)) {
                throw new IllegalArgumentException("Circular reference at " + path()
                        + ": the value contains itself (Python's json.dumps raises ValueError too)");
            }
        }

        private IllegalArgumentException rejected(Object value) {
            String type = value.getClass().getName();
            String at = " at " + path() + " is not accepted";
            if (value instanceof BigDecimal) {
                return new IllegalArgumentException("BigDecimal" + at + ": Python's json.dumps cannot "
                        + "serialize a Decimal; pass doubleValue() for a float or toPlainString() for a string");
            }
            if (value instanceof Set<?>) {
                return new IllegalArgumentException("Set (" + type + ")" + at + ": Python's json.dumps "
                        + "cannot serialize a set; pass a List in a defined order");
            }
            if (value instanceof Collection<?>) {
                return new IllegalArgumentException(type + at + ": only a List or an array is written as "
                        + "a JSON list; copy it into a List");
            }
            if (value instanceof byte[]) {
                return new IllegalArgumentException("byte[]" + at + ": it could be binary data or a list "
                        + "of numbers; pass a String (such as Base64) or a List<Integer>");
            }
            if (value instanceof char[]) {
                return new IllegalArgumentException("char[]" + at + ": it could be text or a list of "
                        + "characters; pass a String or a List<Character>");
            }
            return new IllegalArgumentException(type + at + "; accepted: " + ACCEPTED
                    + " (convert other objects to a Map first)");
        }

        private void writeFloat(double value) {
            if (Double.isNaN(value)) {
                out.append("NaN");
            } else if (Double.isInfinite(value)) {
                out.append(value > 0 ? "Infinity" : "-Infinity");
            } else {
                out.append(PythonFloat.repr(value));
            }
        }

        /** Writes {@code s} as Python's ensure_ascii encoder does. */
        private void writeString(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c >= ' ' && c <= '~') {
                            out.append(c);
                        } else {
                            // Below space, DEL and beyond; a supplementary character is already two
                            // UTF-16 units here, so it comes out as the surrogate pair Python writes.
                            out.append("\\u");
                            String hex = Integer.toHexString(c);
                            out.append("0".repeat(4 - hex.length())).append(hex);
                        }
                    }
                }
            }
            out.append('"');
        }

        private void writeList(int size, java.util.function.IntFunction<Object> element) {
            out.append('[');
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                path.add(i);
                write(element.apply(i));
                path.remove(path.size() - 1);
            }
            out.append(']');
        }

        private void writeMap(Map<?, ?> map) {
            List<PythonKey> keys = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                keys.add(PythonKey.of(entry.getKey(), entry.getValue(), this::path));
            }
            if (keys.size() > 1) {
                PythonKey.sort(keys, this::path);
            }
            out.append('{');
            boolean first = true;
            for (PythonKey key : keys) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                writeString(key.text());
                out.append(": ");
                path.add(key.text());
                write(key.value());
                path.remove(path.size() - 1);
            }
            out.append('}');
        }

        /** The path to the value being written, such as {@code $.messages[0]["a b"]}. */
        private String path() {
            StringBuilder p = new StringBuilder("$");
            for (Object segment : path) {
                if (segment instanceof Integer index) {
                    p.append('[').append(index).append(']');
                } else if (IDENTIFIER.matcher((String) segment).matches()) {
                    p.append('.').append(segment);
                } else {
                    p.append("[\"").append(segment).append("\"]");
                }
            }
            return p.toString();
        }
    }
}
