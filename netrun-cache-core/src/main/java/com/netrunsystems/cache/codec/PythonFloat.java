package com.netrunsystems.cache.codec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python's {@code repr(float)}, as {@link PythonJson} prints floats. Stateless and thread-safe. */
final class PythonFloat {

    private PythonFloat() {
    }

    /**
     * Returns Python's {@code repr()} of {@code value}: the shortest digits that read back as the same
     * double (the closest such digits when several are as short), positional when the decimal
     * exponent is from -4 to 15 ({@code 0.0001}, {@code 1000000000000000.0}), scientific otherwise
     * ({@code 1e-05}, {@code 1e+16}, {@code 1.5e-07}), and {@code nan}, {@code inf} or {@code -inf}.
     * JSON spells the last three {@code NaN}, {@code Infinity} and {@code -Infinity}.
     */
    static String repr(double value) {
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
}
