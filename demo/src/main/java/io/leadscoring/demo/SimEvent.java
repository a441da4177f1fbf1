package io.leadscoring.demo;

/**
 * One record the simulator publishes, before it gets a timestamp.
 *
 * @param leadId the record key
 * @param persona who the lead is
 * @param eventId unique and stable: the same seed gives the same ids
 * @param step what happened
 */
record SimEvent(String leadId, Persona persona, String eventId, Step step) {
}
