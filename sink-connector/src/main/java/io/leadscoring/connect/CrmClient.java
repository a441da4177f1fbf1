package io.leadscoring.connect;

import java.util.List;

/**
 * Writes handoffs to one CRM. Every request is an upsert carrying the handoff id as idempotency key, so
 * delivering a handoff again (after a retry or a task restart) does not create a second lead.
 *
 * <p>{@link #deliver} never throws for a per-record problem: it reports one {@link Outcome} per handoff, in
 * batch order. The caller retries the transient ones and reports the permanent ones.
 */
public interface CrmClient extends AutoCloseable {

    DeliveryResult deliver(List<Handoff> batch);

    @Override
    default void close() {
    }
}
