package io.leadscoring.serde.subject;

import org.apache.avro.Schema;

/** The record's full name: one schema history per record type, whichever topics carry it. */
public class RecordNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return SubjectNameStrategy.recordName(schema);
    }
}
