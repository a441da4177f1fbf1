package io.leadscoring.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void namesAreReadableAndValidTopicNames() {
        String name = UniqueNames.next("lead-events", "topic");

        assertThat(name).matches("lead-events-\\d+-[0-9a-f]{4}");
        Topic.validate(name);
    }

    @Test
    void namesAreUniqueAcrossThreads() {
        Set<String> names = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 10_000).parallel().forEach(i -> names.add(UniqueNames.next("t", "topic")));

        assertThat(names).hasSize(10_000);
    }

    @Test
    void illegalCharactersAreReplaced() {
        String name = UniqueNames.next("scores(Lead #1)/v2", "topic");

        assertThat(name).startsWith("scores_Lead__1__v2-");
        Topic.validate(name);
    }

    @Test
    void emptyOrNullPrefixFallsBack() {
        assertThat(UniqueNames.next("", "topic")).startsWith("topic-");
        assertThat(UniqueNames.next(null, "group")).startsWith("group-");
    }

    @Test
    void longPrefixesAreTruncatedToALegalLength() {
        String name = UniqueNames.next("x".repeat(500), "topic");

        assertThat(name.length()).isLessThanOrEqualTo(249);
        Topic.validate(name);
    }
}
