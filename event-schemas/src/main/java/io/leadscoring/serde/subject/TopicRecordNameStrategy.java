package io.leadscoring.serde.subject;

import org.apache.avro.Schema;

/** {@code <topic>-<record full name>}: several record types per topic, each with its own history. */
public class TopicRecordNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return topic + "-" + SubjectNameStrategy.recordName(schema);
    }
}
