package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentDeliveryTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    static Handoff handoff(String id, String lead) {
        return new Handoff(id, lead, "SQL", "MQL", Instant.EPOCH, 80.0, 60.0, 20.0, "A", "HOT", "ACTIVE", "r@1",
                List.of(), lead + "@example.com", null, null, null);
    }

    /** Answers each request after a short delay on another thread, recording concurrency and order. */
    private final class Recorder {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxSeen = new AtomicInteger();
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, Outcome> answers = new ConcurrentHashMap<>();

        CompletableFuture<Outcome> send(Handoff h) {
            started.add(h.handoffId());
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Executor delayed = CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS, pool);
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                return answers.getOrDefault(h.handoffId(), Outcome.delivered());
            }, delayed);
        }
    }

    @Test
    void boundsRequestsInFlightAndKeepsBatchOrderInTheResult() {
        List<Handoff> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(handoff("h" + i, "lead-" + i));
        }
        Recorder r = new Recorder();
        DeliveryResult result = ConcurrentDelivery.deliver(batch, 3, r::send);
        assertThat(result.allDelivered()).isTrue();
        assertThat(result.outcomes()).extracting(o -> o.handoff().handoffId())
                .containsExactlyElementsOf(batch.stream().map(Handoff::handoffId).toList());
        assertThat(r.maxSeen.get()).isBetween(2, 3);
        assertThat(r.started).hasSize(40);
    }

    @Test
    void sendsTheHandoffsOfOneLeadOneAfterTheOtherInBatchOrder() {
        List<Handoff> batch = List.of(handoff("a1", "a"), handoff("b1", "b"), handoff("a2", "a"), handoff("a3", "a"),
                handoff("b2", "b"));
        Map<String, List<String>> perLead = new ConcurrentHashMap<>();
        AtomicInteger leadAInFlight = new AtomicInteger();
        AtomicInteger leadAOverlap = new AtomicInteger();
        DeliveryResult result = ConcurrentDelivery.deliver(batch, 8, h -> {
            perLead.computeIfAbsent(h.leadId(), k -> Collections.synchronizedList(new ArrayList<>())).add(h.handoffId());
            if (h.leadId().equals("a") && leadAInFlight.incrementAndGet() > 1) {
                leadAOverlap.incrementAndGet();
            }
            return CompletableFuture.supplyAsync(() -> {
                if (h.leadId().equals("a")) {
                    leadAInFlight.decrementAndGet();
                }
                return Outcome.delivered();
            }, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS, pool));
        });
        assertThat(result.allDelivered()).isTrue();
        assertThat(perLead.get("a")).containsExactly("a1", "a2", "a3");
        assertThat(perLead.get("b")).containsExactly("b1", "b2");
        assertThat(leadAOverlap.get()).as("two requests of lead a at once").isZero();
    }

    @Test
    void aTransientFailureHoldsBackTheLaterHandoffsOfThatLeadOnly() {
        List<Handoff> batch = List.of(handoff("a1", "a"), handoff("b1", "b"), handoff("a2", "a"), handoff("b2", "b"));
        Recorder r = new Recorder();
        r.answers.put("a1", Outcome.transientFailure("HTTP 503", null));
        DeliveryResult result = ConcurrentDelivery.deliver(batch, 4, r::send);
        assertThat(r.started).containsExactlyInAnyOrder("a1", "b1", "b2");
        assertThat(result.outcomes()).extracting(o -> o.outcome().kind()).containsExactly(Outcome.Kind.TRANSIENT,
                Outcome.Kind.DELIVERED, Outcome.Kind.TRANSIENT, Outcome.Kind.DELIVERED);
        assertThat(((Outcome.Transient) result.outcomes().get(2).outcome()).reason()).contains("a1");
    }

    @Test
    void aPermanentFailureDoesNotHoldBackTheLeadsLaterHandoffs() {
        List<Handoff> batch = List.of(handoff("a1", "a"), handoff("a2", "a"));
        Recorder r = new Recorder();
        r.answers.put("a1", Outcome.permanentFailure("HTTP 400"));
        DeliveryResult result = ConcurrentDelivery.deliver(batch, 2, r::send);
        assertThat(r.started).containsExactly("a1", "a2");
        assertThat(result.outcomes()).extracting(o -> o.outcome().kind())
                .containsExactly(Outcome.Kind.PERMANENT, Outcome.Kind.DELIVERED);
    }

    @Test
    void aSenderThatThrowsOrFailsIsClassified() {
        List<Handoff> batch = List.of(handoff("x", "a"), handoff("y", "b"));
        DeliveryResult result = ConcurrentDelivery.deliver(batch, 2, h -> {
            if (h.handoffId().equals("x")) {
                throw new IllegalStateException("bug");
            }
            return CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
        });
        assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(result.outcomes().get(1).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
    }

    @Test
    void anEmptyBatchSendsNothing() {
        assertThat(ConcurrentDelivery.deliver(List.of(), 1, h -> {
            throw new AssertionError("no request expected");
        }).outcomes()).isEmpty();
    }
}
