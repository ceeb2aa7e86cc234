package com.netrunsystems.cache.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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
 * sorted as Python sorts them. This class is stateless and thread-safe.
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

    /**
     * Returns Python's {@code repr()} of {@code value}: the shortest digits that read back as the same
     * double (the closest such digits when several are as short), positional when the decimal
     * exponent is from -4 to 15 ({@code 0.0001}, {@code 1000000000000000.0}), scientific otherwise
     * ({@code 1e-05}, {@code 1e+16}, {@code 1.5e-07}), and {@code nan}, {@code inf} or {@code -inf}.
     * JSON spells the last three {@code NaN}, {@code Infinity} and {@code -Infinity}.
     */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        boolean negative = (Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0;
        if (value == 0) {
            return negative ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        // The value is 0.DIGITS x 10^decpt, as in Python's float_repr_style 'short'.
        int decpt = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append(exponent < 0 ? "e-" : "e+");
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (decpt <= 0) {
            out.append("0.");
            out.append("0".repeat(-decpt));
            out.append(digits);
        } else if (decpt >= digits.length()) {
            out.append(digits);
            out.append("0".repeat(decpt - digits.length()));
            out.append(".0");
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }

    /**
     * Returns the decimal with the fewest significant digits that parses back to {@code value} (a
     * positive finite double), the closest to {@code value} when two are as short. Correct on any JDK;
     * Java 17's {@link Double#toString(double)} is not always the shortest.
     */
    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        // If some p-digit decimal reads back, so does one of p + 1 digits: binary-search the least p.
        // Double.toString always reads back, so its digit count bounds the search (often at 1 or 2).
        int low = 1;
        int high = Math.min(17, new BigDecimal(Double.toString(value)).stripTrailingZeros().precision());
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (closestReadingBack(exact, value, mid) != null) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return closestReadingBack(exact, value, low).stripTrailingZeros();
    }

    /**
     * Returns the {@code precision}-digit decimal closest to {@code exact} that parses back to
     * {@code value}, or {@code null}. Only the neighbours below and above can qualify, as the decimals
     * that read back form an interval around the value; on a tie, the even last digit wins.
     */
    private static BigDecimal closestReadingBack(BigDecimal exact, double value, int precision) {
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
        boolean downReadsBack = Double.parseDouble(down.toString()) == value;
        boolean upReadsBack = Double.parseDouble(up.toString()) == value;
        if (downReadsBack && upReadsBack) {
            int closer = exact.subtract(down).compareTo(up.subtract(exact));
            return closer < 0 || (closer == 0 && !down.unscaledValue().testBit(0)) ? down : up;
        }
        return downReadsBack ? down : upReadsBack ? up : null;
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

    private static boolean isInteger(Object value) {
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
                out.append(floatRepr(value));
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
            List<Key> keys = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                keys.add(key(entry.getKey(), entry.getValue()));
            }
            if (keys.size() > 1) {
                sort(keys);
            }
            out.append('{');
            boolean first = true;
            for (Key key : keys) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                writeString(key.text);
                out.append(": ");
                path.add(key.text);
                write(key.value);
                path.remove(path.size() - 1);
            }
            out.append('}');
        }

        private Key key(Object key, Object value) {
            if (key == null) {
                return new Key(KeyKind.NULL, key, "null", 0, null, value);
            }
            if (key instanceof String s) {
                return new Key(KeyKind.STRING, key, s, 0, null, value);
            }
            if (key instanceof Character c) {
                return new Key(KeyKind.STRING, key, String.valueOf(c.charValue()), 0, null, value);
            }
            if (key instanceof Enum<?> e) {
                return new Key(KeyKind.STRING, key, e.name(), 0, null, value);
            }
            if (key instanceof Boolean b) {
                BigDecimal number = b ? BigDecimal.ONE : BigDecimal.ZERO;
                return new Key(KeyKind.NUMBER, key, b ? "true" : "false", 0, number, value);
            }
            if (isInteger(key)) {
                String text = key.toString();
                return new Key(KeyKind.NUMBER, key, text, 0, new BigDecimal(text), value);
            }
            if (key instanceof Double || key instanceof Float) {
                double d = ((Number) key).doubleValue();
                if (Double.isNaN(d)) {
                    return new Key(KeyKind.NAN, key, "NaN", 0, null, value);
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? new Key(KeyKind.NUMBER, key, "Infinity", 1, null, value)
                            : new Key(KeyKind.NUMBER, key, "-Infinity", -1, null, value);
                }
                return new Key(KeyKind.NUMBER, key, floatRepr(d), 0, new BigDecimal(d), value);
            }
            throw new IllegalArgumentException("Map key of type " + key.getClass().getName() + " in the map at "
                    + path() + " is not accepted; keys must be String, Character, Enum, Boolean, Byte, Short, "
                    + "Integer, Long, BigInteger, AtomicInteger, AtomicLong, Float, Double or null");
        }

        /** Sorts two or more keys as Python's sorted(dict.items()) does, or fails where Python raises. */
        private void sort(List<Key> keys) {
            boolean strings = false;
            boolean numbers = false;
            for (Key key : keys) {
                switch (key.kind) {
                    case NULL -> throw new IllegalArgumentException("The map at " + path()
                            + " has a null key beside other keys; Python's json.dumps(sort_keys=True) raises "
                            + "TypeError because None cannot be compared with other keys");
                    case NAN -> throw new IllegalArgumentException("The map at " + path()
                            + " has a NaN key beside other keys; Python gives them no defined order");
                    case STRING -> strings = true;
                    case NUMBER -> numbers = true;
                }
            }
            if (strings && numbers) {
                throw new IllegalArgumentException("The map at " + path() + " mixes string keys with numeric or "
                        + "boolean keys (" + keyTypes(keys) + "); Python's json.dumps(sort_keys=True) raises "
                        + "TypeError because it cannot compare them. Use keys of one kind");
            }
            Comparator<Key> order = strings
                    ? (a, b) -> compareCodePoints(a.text, b.text)
                    : PythonJson.Writer::compareNumbers;
            keys.sort(order);
            for (int i = 1; i < keys.size(); i++) {
                if (order.compare(keys.get(i - 1), keys.get(i)) == 0) {
                    throw new IllegalArgumentException("The map at " + path() + " has keys "
                            + describe(keys.get(i - 1).original) + " and " + describe(keys.get(i).original)
                            + ", which are the same key in Python; keep one");
                }
            }
        }

        private static int compareNumbers(Key a, Key b) {
            if (a.infinity != 0 || b.infinity != 0) {
                return Integer.compare(a.infinity, b.infinity);
            }
            return a.number.compareTo(b.number);
        }

        private static String keyTypes(List<Key> keys) {
            return keys.stream().map(k -> k.original.getClass().getSimpleName()).distinct().sorted()
                    .reduce((x, y) -> x + ", " + y).orElse("");
        }

        private static String describe(Object key) {
            String shown = key instanceof String || key instanceof Character ? "\"" + key + "\"" : String.valueOf(key);
            return shown + " (" + key.getClass().getSimpleName() + ")";
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

    private enum KeyKind { NULL, NAN, STRING, NUMBER }

    /**
     * A map entry with its key as Python would see it: its kind, its printed text and, for a number,
     * its exact value (Booleans as 0 and 1) or which infinity it is (-1 or 1, else 0).
     */
    private record Key(KeyKind kind, Object original, String text, int infinity, BigDecimal number, Object value) {
    }
}
