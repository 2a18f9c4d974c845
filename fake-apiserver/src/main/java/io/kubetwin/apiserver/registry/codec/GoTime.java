package io.kubetwin.apiserver.registry.codec;

import io.kubetwin.pki.GoText;

/**
 * The errors of Go's {@code time.Parse} for the two layouts metav1.Time and metav1.MicroTime decode with
 * (time/format.go parse: the layout walked chunk by chunk, {@code cannot parse "<rest>" as "<chunk>"}, range
 * errors, extra text, the day checked against the month last). Pure and thread-safe.
 */
final class GoTime {
    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

    private GoTime() {}

    /** Null when {@code value} parses with the layout, else Go's error text. */
    static String parseError(String layout, String value) {
        boolean micro = layout.equals(RFC3339_MICRO);
        String[] chunks = micro
                ? new String[] {"2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", ".000000", "Z07:00"}
                : new String[] {"2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", "Z07:00"};
        String rest = value;
        int year = 0;
        int month = 0;
        int day = 0;
        for (String chunk : chunks) {
            String hold = rest;
            String range = null;
            boolean bad = false;
            switch (chunk) {
                case "-", "T", ":" -> {
                    if (rest.isEmpty() || rest.charAt(0) != chunk.charAt(0)) {
                        return cannot(layout, value, rest, chunk);
                    }
                    rest = rest.substring(1);
                    continue;
                }
                case "2006" -> {
                    if (rest.length() < 4 || !digits(rest, 0, 4)) {
                        bad = true;
                    } else {
                        year = Integer.parseInt(rest.substring(0, 4));
                        rest = rest.substring(4);
                    }
                }
                case "01", "02", "04", "05" -> {
                    if (!digits(rest, 0, 2)) {
                        bad = true;
                    } else {
                        int n = Integer.parseInt(rest.substring(0, 2));
                        rest = rest.substring(2);
                        switch (chunk) {
                            case "01" -> {
                                month = n;
                                range = n <= 0 || n > 12 ? "month" : null;
                            }
                            case "02" -> day = n;
                            case "04" -> range = n >= 60 ? "minute" : null;
                            default -> {
                                range = n >= 60 ? "second" : null;
                                if (!micro && rest.length() >= 2 && isFractionStart(rest)) {
                                    int end = 2;
                                    while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
                                        end++;
                                    }
                                    rest = rest.substring(end);
                                }
                            }
                        }
                    }
                }
                case "15" -> {
                    if (!digits(rest, 0, 1)) {
                        bad = true;
                    } else {
                        int len = digits(rest, 1, 2) ? 2 : 1;
                        int n = Integer.parseInt(rest.substring(0, len));
                        rest = rest.substring(len);
                        range = n >= 24 ? "hour" : null;
                    }
                }
                case ".000000" -> {
                    if (rest.length() < 7 || (rest.charAt(0) != '.' && rest.charAt(0) != ',') || !digits(rest, 1, 7)) {
                        bad = true;
                    } else {
                        rest = rest.substring(7);
                    }
                }
                default -> { // Z07:00
                    if (!rest.isEmpty() && rest.charAt(0) == 'Z') {
                        rest = rest.substring(1);
                        continue;
                    }
                    if (rest.length() < 6
                            || rest.charAt(3) != ':'
                            || (rest.charAt(0) != '+' && rest.charAt(0) != '-')
                            || !digits(rest, 1, 3)
                            || !digits(rest, 4, 6)) {
                        bad = true;
                    } else {
                        int hr = Integer.parseInt(rest.substring(1, 3));
                        int mm = Integer.parseInt(rest.substring(4, 6));
                        range = hr > 24 ? "time zone offset hour" : mm > 60 ? "time zone offset minute" : null;
                        rest = rest.substring(6);
                    }
                }
            }
            if (range != null) {
                return "parsing time " + GoText.quote(value) + ": " + range + " out of range";
            }
            if (bad) {
                return cannot(layout, value, hold, chunk);
            }
        }
        if (!rest.isEmpty()) {
            return "parsing time " + GoText.quote(value) + ": extra text: " + GoText.quote(rest);
        }
        if (day < 1 || day > daysIn(month, year)) {
            return "parsing time " + GoText.quote(value) + ": day out of range";
        }
        return null;
    }

    private static boolean isFractionStart(String s) {
        return (s.charAt(0) == '.' || s.charAt(0) == ',') && Character.isDigit(s.charAt(1));
    }

    private static String cannot(String layout, String value, String rest, String chunk) {
        return "parsing time " + GoText.quote(value) + " as " + GoText.quote(layout) + ": cannot parse "
                + GoText.quote(rest) + " as " + GoText.quote(chunk);
    }

    private static boolean digits(String s, int from, int to) {
        if (s.length() < to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int daysIn(int month, int year) {
        if (month == 2) {
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }
}
