package io.leadscoring.serde.subject;

import org.apache.avro.Schema;

/** {@code <topic>-key} or {@code <topic>-value}: one schema history per topic (the default). */
public class TopicNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return topic + (isKey ? "-key" : "-value");
    }
}
