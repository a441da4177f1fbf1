package io.leadscoring.connect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Sends the handoffs of a batch one request each, at most {@code maxInFlight} at a time, and the handoffs of one
 * lead strictly one after the other in batch order: an upsert that overtook an older one of the same lead would be
 * overwritten by it. When a lead's request fails transiently its later handoffs are not sent (they are transient
 * too), so a retry can never put an older state over a newer one.
 */
public final class ConcurrentDelivery {

    private ConcurrentDelivery() {
    }

    private record Completion(int index, Deque<Integer> lane, Outcome outcome) {
    }

    /**
     * Delivers {@code batch} through {@code send} (which must not throw; a failed future is classified by
     * {@link HttpOutcomes#classify(Throwable)}) and returns the outcomes in batch order.
     */
    public static DeliveryResult deliver(List<Handoff> batch, int maxInFlight,
            Function<Handoff, CompletableFuture<Outcome>> send) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1");
        }
        Map<String, Deque<Integer>> byLead = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            // Case-folded: Salesforce matches external ids case-insensitively, so Lead-1 and lead-1 are one record.
            byLead.computeIfAbsent(batch.get(i).leadId().toLowerCase(Locale.ROOT), k -> new ArrayDeque<>()).add(i);
        }
        Deque<Deque<Integer>> lanes = new ArrayDeque<>(byLead.values());
        Outcome[] outcomes = new Outcome[batch.size()];
        BlockingQueue<Completion> done = new LinkedBlockingQueue<>();
        int inFlight = 0;
        while (inFlight < maxInFlight && !lanes.isEmpty()) {
            start(batch, lanes.poll(), send, done);
            inFlight++;
        }
        try {
            while (inFlight > 0) {
                Completion c = done.take();
                inFlight--;
                outcomes[c.index] = c.outcome;
                Deque<Integer> lane = c.lane;
                if (c.outcome.kind() == Outcome.Kind.TRANSIENT) {
                    String first = batch.get(c.index).handoffId();
                    while (!lane.isEmpty()) {
                        outcomes[lane.poll()] = Outcome.transientFailure("not sent: handoff " + first
                                + " of the same lead must be delivered first", null);
                    }
                }
                Deque<Integer> next = !lane.isEmpty() ? lane : lanes.poll();
                if (next != null) {
                    start(batch, next, send, done);
                    inFlight++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<DeliveryResult.RecordOutcome> result = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = outcomes[i] != null ? outcomes[i]
                    : Outcome.transientFailure("interrupted before the CRM answered", null);
            result.add(new DeliveryResult.RecordOutcome(batch.get(i), o));
        }
        return new DeliveryResult(result);
    }

    private static void start(List<Handoff> batch, Deque<Integer> lane,
            Function<Handoff, CompletableFuture<Outcome>> send, BlockingQueue<Completion> done) {
        int index = lane.poll();
        CompletableFuture<Outcome> future;
        try {
            future = send.apply(batch.get(index));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((outcome, failure) -> done.add(new Completion(index, lane,
                failure != null || outcome == null ? HttpOutcomes.classify(failure) : outcome)));
    }
}
