package io.leadscoring.connect;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds a {@link Handoff} from a Connect record value: a {@link Struct} with the field names of
 * {@code StageChange} (Avro or JSON-with-schema converters), or a schemaless {@link Map} (JsonConverter with
 * {@code schemas.enable=false}).
 *
 * <p>Rules: {@code handoffId} and {@code leadId} are required non-blank strings. Every other field is optional
 * (absent or null gives null) but must have the right type when present: strings for ids, names and enum
 * symbols (a Java enum is accepted and read by name), numbers for {@code score}, {@code engagement} and
 * {@code fit}, and for {@code at} a {@link Date} (Connect Timestamp), a number of epoch milliseconds or an
 * ISO-8601 instant string. {@code reasons} is a list of structs/maps with a string {@code rule} and a numeric
 * {@code points}. Anything else raises an {@link UnmappableRecordException} naming the field.
 */
public final class HandoffMapper {

    private HandoffMapper() {
    }

    /** Maps a record value; throws {@link UnmappableRecordException} when it cannot be mapped. */
    public static Handoff map(Object value) {
        if (value == null) {
            throw new UnmappableRecordException(null, "record value is null (tombstone); expected a StageChange");
        }
        Accessor in;
        if (value instanceof Struct struct) {
            in = new StructAccessor(struct);
        } else if (value instanceof Map<?, ?> map) {
            in = new MapAccessor(map);
        } else {
            throw new UnmappableRecordException(null, "record value is a " + value.getClass().getName()
                    + "; expected a Struct or a Map (StageChange)");
        }
        return fromAccessor(in);
    }

    private static Handoff fromAccessor(Accessor in) {
        return new Handoff(
                requiredString(in, "handoffId"),
                requiredString(in, "leadId"),
                optionalSymbol(in, "stage"),
                optionalSymbol(in, "previousStage"),
                optionalInstant(in, "at"),
                optionalDouble(in, "score"),
                optionalDouble(in, "engagement"),
                optionalDouble(in, "fit"),
                optionalSymbol(in, "fitGrade"),
                optionalSymbol(in, "temperature"),
                optionalSymbol(in, "activity"),
                optionalString(in, "ruleSet"),
                reasons(in),
                optionalString(in, "email"),
                optionalString(in, "firstName"),
                optionalString(in, "lastName"),
                optionalString(in, "company"));
    }

    private static String requiredString(Accessor in, String name) {
        Object v = in.get(name);
        if (v == null) {
            throw new UnmappableRecordException(name, "required field is missing or null");
        }
        if (!(v instanceof String s)) {
            throw new UnmappableRecordException(name, "expected a string but was " + typeOf(v));
        }
        if (s.isBlank()) {
            throw new UnmappableRecordException(name, "required field is blank");
        }
        return s;
    }

    private static String optionalString(Accessor in, String name) {
        Object v = in.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new UnmappableRecordException(name, "expected a string but was " + typeOf(v));
    }

    private static String optionalSymbol(Accessor in, String name) {
        Object v = in.get(name);
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new UnmappableRecordException(name, "expected an enum symbol (string) but was " + typeOf(v));
    }

    private static Double optionalDouble(Accessor in, String name) {
        Object v = in.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new UnmappableRecordException(name, "expected a finite number but was " + d);
            }
            return d;
        }
        throw new UnmappableRecordException(name, "expected a number but was " + typeOf(v));
    }

    private static Instant optionalInstant(Accessor in, String name) {
        Object v = in.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return Instant.ofEpochMilli(((Number) v).longValue());
        }
        if (v instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new UnmappableRecordException(name, "expected an ISO-8601 instant but was '" + s + "'");
            }
        }
        throw new UnmappableRecordException(name,
                "expected a timestamp (Date, epoch millis or ISO-8601 string) but was " + typeOf(v));
    }

    private static List<Handoff.Reason> reasons(Accessor in) {
        Object v = in.get("reasons");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new UnmappableRecordException("reasons", "expected an array but was " + typeOf(v));
        }
        List<Handoff.Reason> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String field = "reasons[" + i + "]";
            Accessor r;
            if (item instanceof Struct s) {
                r = new StructAccessor(s);
            } else if (item instanceof Map<?, ?> m) {
                r = new MapAccessor(m);
            } else {
                throw new UnmappableRecordException(field, "expected a Reason {rule, points} but was " + typeOf(item));
            }
            Object rule = r.get("rule");
            if (!(rule instanceof String ruleName) || ruleName.isBlank()) {
                throw new UnmappableRecordException(field + ".rule", "expected a non-blank string but was " + typeOf(rule));
            }
            Object points = r.get("points");
            if (!(points instanceof Number p)) {
                throw new UnmappableRecordException(field + ".points", "expected a number but was " + typeOf(points));
            }
            out.add(new Handoff.Reason(ruleName, p.doubleValue()));
        }
        return out;
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " (" + abbreviate(String.valueOf(v)) + ")";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private interface Accessor {
        Object get(String name);
    }

    private record StructAccessor(Struct struct) implements Accessor {
        @Override
        public Object get(String name) {
            if (struct.schema() == null) {
                return null;
            }
            Field f = struct.schema().field(name);
            return f == null ? null : struct.get(f);
        }
    }

    private record MapAccessor(Map<?, ?> map) implements Accessor {
        @Override
        public Object get(String name) {
            return map.get(name);
        }
    }
}
