package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The plan is a pure function of its seed: what a run publishes, in which order, for which lead. */
class TrafficPlanTest {

    private static final int LEADS = 200;
    private static final long SILENCE = 3000;

    @Test
    void theSameSeedGivesTheSameTraffic() {
        assertThat(run(plan(42), 5000)).isEqualTo(run(plan(42), 5000));
    }

    @Test
    void anotherSeedGivesOtherTraffic() {
        assertThat(run(plan(42), 500)).isNotEqualTo(run(plan(43), 500));
    }

    @Test
    void everyLeadStartsWithItsProfileAndEventIdsAreUnique() {
        Set<String> profiled = new HashSet<>();
        Set<String> eventIds = new HashSet<>();
        for (SimEvent event : events(plan(7), 20_000)) {
            if (event.step() instanceof Step.Profile) {
                assertThat(profiled.add(event.leadId())).as("one profile per lead").isTrue();
            } else if (!(event.step() instanceof Step.Garbage)) {
                assertThat(profiled).as("profile of " + event.leadId() + " first").contains(event.leadId());
            }
            assertThat(eventIds.add(event.eventId())).as(event.eventId()).isTrue();
        }
    }

    @Test
    void leadsAreNumberedFromTheFirstNumberAndFinishedLeadsAreReplaced() {
        TrafficPlan plan = new TrafficPlan(3, LEADS, SILENCE, 1001, 0);
        List<SimEvent> events = events(plan, 20_000);
        assertThat(events.get(0).leadId()).matches("lead-00(1[0-9]{3})");
        assertThat(events).allMatch(e -> Long.parseLong(e.leadId().substring(5)) >= 1001);
        long started = plan.started().values().stream().mapToLong(Integer::longValue).sum();
        assertThat(started).as("leads replaced as they finish").isGreaterThan(LEADS * 5L);
        assertThat(plan.nextLeadNumber()).isEqualTo(1001 + started);
    }

    @Test
    void aRunFollowsThePersonaMix() {
        TrafficPlan plan = plan(11);
        run(plan, 200_000);
        Map<Persona, Integer> started = plan.started();
        double total = started.values().stream().mapToInt(Integer::intValue).sum();
        for (Persona persona : Persona.values()) {
            assertThat(started.get(persona) * 100 / total).as(persona.name())
                    .isCloseTo(persona.weight(), Offset.offset(1.5));
        }
    }

    @Test
    void anExecutivesBurstIsPublishedOnConsecutiveTicksThenTheExecutiveIsSilent() {
        List<SimEvent> events = run(plan(5), 30_000);
        Map<String, List<Integer>> ticksByExecutive = new HashMap<>();
        for (int tick = 0; tick < events.size(); tick++) {
            SimEvent event = events.get(tick);
            if (event != null && event.persona() == Persona.EXECUTIVE && !(event.step() instanceof Step.Garbage)) {
                ticksByExecutive.computeIfAbsent(event.leadId(), id -> new ArrayList<>()).add(tick);
            }
        }
        int complete = 0;
        for (List<Integer> ticks : ticksByExecutive.values()) {
            assertThat(ticks.size()).isLessThanOrEqualTo(5);
            for (int i = 3; i < ticks.size(); i++) {
                assertThat(ticks.get(i) - ticks.get(i - 1)).as("burst").isEqualTo(1);
            }
            if (ticks.size() == 5) {
                complete++;
            }
        }
        assertThat(complete).isGreaterThan(20);
    }

    @Test
    void garbageComesAtTheBadRateOnly() {
        assertThat(events(plan(9), 10_000)).noneMatch(e -> e.step() instanceof Step.Garbage);
        long garbage = events(new TrafficPlan(9, LEADS, SILENCE, 1, 0.1), 10_000).stream()
                .filter(e -> e.step() instanceof Step.Garbage).count();
        assertThat(garbage).isBetween(800L, 1200L);
    }

    @Test
    void refusesAnEmptySimulation() {
        assertThatThrownBy(() -> new TrafficPlan(1, 0, SILENCE, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static TrafficPlan plan(long seed) {
        return new TrafficPlan(seed, LEADS, SILENCE, 1, 0);
    }

    /** The records of {@code ticks} ticks, without the silent ticks. */
    static List<SimEvent> events(TrafficPlan plan, int ticks) {
        return run(plan, ticks).stream().filter(Objects::nonNull).toList();
    }

    /** {@code ticks} records; a null where every lead was silent. */
    static List<SimEvent> run(TrafficPlan plan, int ticks) {
        List<SimEvent> events = new ArrayList<>(ticks);
        for (int i = 0; i < ticks; i++) {
            events.add(plan.next());
        }
        return events;
    }
}
