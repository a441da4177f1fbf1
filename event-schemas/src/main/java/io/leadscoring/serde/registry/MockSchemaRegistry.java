package io.leadscoring.serde.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * An in-process schema registry with Confluent's semantics, for tests and the embedded demo: ids from 1 per
 * registry, one id per distinct schema text (whatever the subject), re-registering returns the existing id, and
 * each new version is checked against the subject's compatibility level (default BACKWARD) with Avro's
 * {@link SchemaCompatibility}. {@code schema.registry.url=mock://SCOPE} selects {@link #forScope(String)}.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    public static final String DEFAULT_COMPATIBILITY = "BACKWARD";
    static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private static final ConcurrentHashMap<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private int nextId = 1;
    private String globalCompatibility = DEFAULT_COMPATIBILITY;
    // The canonical text (Schema#toString) identifies a schema, as Confluent's canonical string does.
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
    private final Map<String, String> subjectCompatibility = new HashMap<>();

    /** A registry of its own, shared with nobody. */
    public MockSchemaRegistry() {
        this(null);
    }

    private MockSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The registry of this scope, created on first use and shared by every caller in the JVM. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistry::new);
    }

    /** Forgets the scope; the next {@link #forScope(String)} starts an empty registry. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String text = schema.toString();
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (RegisteredSchema version : versions) {
            if (version.schema().toString().equals(text)) {
                return version.id();
            }
        }
        if (!isCompatible(levelOf(subject), schema, versions)) {
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            throw new RestClientException("Schema being registered is incompatible with an earlier schema for subject "
                    + "\"" + subject + "\"", 409, RestClientException.INCOMPATIBLE_SCHEMA);
        }
        int id = idsByText.computeIfAbsent(text, t -> nextId++);
        schemasById.putIfAbsent(id, schema);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        versions.add(new RegisteredSchema(subject, id, version, schema));
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        return lookupVersion(subject, schema).id();
    }

    /** The version of the subject that has this schema (what {@code POST /subjects/{subject}} answers). */
    public synchronized RegisteredSchema lookupVersion(String subject, Schema schema) {
        String text = schema.toString();
        for (RegisteredSchema version : versionsOf(subject)) {
            if (version.schema().toString().equals(text)) {
                return version;
            }
        }
        throw new RestClientException("Schema not found", 404, RestClientException.SCHEMA_NOT_FOUND);
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new RestClientException("Schema " + id + " not found", 404, RestClientException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatestVersion(String subject) {
        List<RegisteredSchema> versions = versionsOf(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized List<String> getAllSubjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<Integer> getAllVersions(String subject) {
        return versionsOf(subject).stream().map(RegisteredSchema::version).toList();
    }

    @Override
    public synchronized boolean testCompatibility(String subject, Schema schema) {
        return isCompatible(levelOf(subject), schema, subjects.getOrDefault(subject, List.of()));
    }

    @Override
    public synchronized String getCompatibility(String subject) {
        return subject == null ? globalCompatibility : levelOf(subject);
    }

    @Override
    public synchronized String updateCompatibility(String subject, String level) {
        String normalized = level == null ? "" : level.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalized)) {
            throw new RestClientException("Invalid compatibility level. Valid values are none, backward, forward, "
                    + "full, backward_transitive, forward_transitive, and full_transitive", 422,
                    RestClientException.INVALID_COMPATIBILITY_LEVEL);
        }
        if (subject == null) {
            globalCompatibility = normalized;
        } else {
            subjectCompatibility.put(subject, normalized);
        }
        return normalized;
    }

    /** Shared scopes outlive their clients, as in Confluent's mock: closing a client keeps the data. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MockSchemaRegistry" + (scope == null ? "" : "[mock://" + scope + "]");
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new RestClientException("Subject '" + subject + "' not found.", 404,
                    RestClientException.SUBJECT_NOT_FOUND);
        }
        return versions;
    }

    private String levelOf(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    /** Confluent's rules: non-transitive levels check the latest version only, transitive ones every version. */
    static boolean isCompatible(String level, Schema candidate, List<RegisteredSchema> existing) {
        if (existing.isEmpty() || "NONE".equals(level)) {
            return true;
        }
        boolean transitive = level.endsWith("_TRANSITIVE");
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<RegisteredSchema> against = transitive ? existing : existing.subList(existing.size() - 1, existing.size());
        for (RegisteredSchema previous : against) {
            if (backward && !canRead(candidate, previous.schema())) {
                return false;
            }
            if (forward && !canRead(previous.schema(), candidate)) {
                return false;
            }
        }
        return true;
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}
