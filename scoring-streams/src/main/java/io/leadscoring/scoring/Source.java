package io.leadscoring.scoring;

import java.util.Locale;

/** The source of a behaviour event; written {@code web}, {@code email} and {@code download} in rule files. */
public enum Source {
    WEB("web"),
    EMAIL("email"),
    DOWNLOAD("download");

    private final String yamlName;

    Source(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The name a rule file uses ({@code web}, {@code email}, {@code download}). */
    public String yamlName() {
        return yamlName;
    }

    /** Bit of this source in a source mask ({@code 1 << ordinal()}). */
    public int bit() {
        return 1 << ordinal();
    }

    /** The source a rule file names (case-insensitively), or null when the name is none of them. */
    public static Source fromYaml(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (Source s : values()) {
            if (s.yamlName.equals(lower)) {
                return s;
            }
        }
        return null;
    }
}
