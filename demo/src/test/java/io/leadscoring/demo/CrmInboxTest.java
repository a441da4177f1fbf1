package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.connect.DeliveryResult;
import io.leadscoring.connect.Handoff;
import io.leadscoring.connect.Outcome;
import io.leadscoring.connect.WebhookCrmClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRM inbox against the sink connector's own webhook client: signatures, idempotency, listing, journal. */
class CrmInboxTest {

    private static final String SECRET = "s3cret";
    private static final String HEADER = DemoDefaults.SIGNATURE_HEADER;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<InboxHandoff> announced = new CopyOnWriteArrayList<>();
    private CrmInbox inbox;

    @AfterEach
    void close() {
        if (inbox != null) {
            inbox.close();
        }
    }

    @Test
    void takesASignedHandoffOnceAndRefusesTheRepeatByItsIdempotencyKey() {
        inbox = start(dir.resolve("journal.jsonl"));
        WebhookCrmClient crm = client(inbox.webhookUrl(), SECRET);

        assertThat(crm.deliver(List.of(handoff("h-1", "lead-1"))).allDelivered()).isTrue();
        assertThat(crm.deliver(List.of(handoff("h-1", "lead-1"))).allDelivered()).as("200 for a repeat").isTrue();
        assertThat(crm.deliver(List.of(handoff("h-2", "lead-2"))).allDelivered()).isTrue();

        assertThat(announced).extracting(InboxHandoff::handoffId).containsExactly("h-1", "h-2");
        assertThat(inbox.distinct()).isEqualTo(2);
        assertThat(inbox.createdThisRun()).isEqualTo(2);
        assertThat(inbox.duplicates()).isEqualTo(1);
        InboxHandoff latest = inbox.handoffs().get(0);
        assertThat(latest.leadId()).isEqualTo("lead-2");
        assertThat(latest.firstName()).isEqualTo("Ana");
        assertThat(latest.score()).isEqualTo(145.5);
        assertThat(latest.reasons()).containsExactly(new InboxHandoff.Reason("demo-request", 50),
                new InboxHandoff.Reason("decision-maker", 25));
    }

    @Test
    void answersWithTheStatusOfEachVerdict() throws Exception {
        inbox = start(null);
        byte[] body = "{\"handoffId\":\"h-9\",\"leadId\":\"lead-9\"}".getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + CrmInbox.hmacSha256Hex(SECRET.getBytes(StandardCharsets.UTF_8), body);

        assertThat(post(body, signature, "h-9")).isEqualTo(201);
        assertThat(post(body, signature, "h-9")).isEqualTo(200);
        assertThat(post(body, signature.replace('a', 'b').replace('1', '2'), "h-10")).isEqualTo(401);
        assertThat(post(body, null, "h-10")).isEqualTo(401);
        assertThat(post(body, signature, null)).isEqualTo(400);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(post(notJson, "sha256=" + CrmInbox.hmacSha256Hex(SECRET.getBytes(StandardCharsets.UTF_8),
                notJson), "h-11")).isEqualTo(400);
        assertThat(inbox.rejected()).isEqualTo(4);
        assertThat(inbox.distinct()).isEqualTo(1);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(inbox.webhookUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void refusesADeliverySignedWithAnotherSecret() {
        inbox = start(null);
        DeliveryResult result = client(inbox.webhookUrl(), "not-the-secret").deliver(List.of(handoff("h-1", "l-1")));
        assertThat(result.outcomes().get(0).outcome().kind()).isNotEqualTo(Outcome.Kind.DELIVERED);
        assertThat(announced).isEmpty();
        assertThat(inbox.distinct()).isZero();
        assertThat(inbox.rejected()).isEqualTo(1);
    }

    @Test
    void listsTheHandoffsNewestFirstAsJson() throws Exception {
        inbox = start(null);
        WebhookCrmClient crm = client(inbox.webhookUrl(), SECRET);
        crm.deliver(List.of(handoff("h-1", "lead-1")));
        crm.deliver(List.of(handoff("h-2", "lead-2")));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(inbox.listUrl()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> json = new ObjectMapper().readValue(response.body(), new TypeReference<>() {
        });
        assertThat(json).containsEntry("distinct", 2).containsEntry("duplicates", 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> handoffs = (List<Map<String, Object>>) json.get("handoffs");
        assertThat(handoffs).extracting(h -> h.get("handoffId")).containsExactly("h-2", "h-1");
        assertThat(handoffs.get(0)).containsKeys("receivedAt", "leadId", "score", "reasons", "email");
    }

    @Test
    void keepsOnlyTheLatestHandoffsButRemembersEveryKey() {
        inbox = new CrmInbox(SECRET.getBytes(StandardCharsets.UTF_8), HEADER, 2, null, announced::add,
                Clock.systemUTC());
        for (int i = 1; i <= 3; i++) {
            byte[] body = ("{\"handoffId\":\"h-" + i + "\",\"leadId\":\"l\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(inbox.receive(body, sign(body), "h-" + i)).isEqualTo(CrmInbox.Verdict.CREATED);
        }
        assertThat(inbox.handoffs()).extracting(InboxHandoff::handoffId).containsExactly("h-3", "h-2");
        byte[] again = "{\"handoffId\":\"h-1\",\"leadId\":\"l\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(inbox.receive(again, sign(again), "h-1")).isEqualTo(CrmInbox.Verdict.DUPLICATE);
    }

    @Test
    void remembersItsKeysAcrossRestartsThroughTheJournal() {
        Path journal = dir.resolve("journal.jsonl");
        inbox = start(journal);
        client(inbox.webhookUrl(), SECRET).deliver(List.of(handoff("h-1", "lead-1"), handoff("h-2", "lead-2")));
        inbox.close();
        announced.clear();

        inbox = start(journal);
        assertThat(inbox.distinct()).isEqualTo(2);
        assertThat(inbox.createdThisRun()).isZero();
        assertThat(inbox.handoffs()).extracting(InboxHandoff::leadId).containsExactlyInAnyOrder("lead-1", "lead-2");
        client(inbox.webhookUrl(), SECRET).deliver(List.of(handoff("h-2", "lead-2")));
        assertThat(inbox.duplicates()).isEqualTo(1);
        assertThat(announced).isEmpty();
    }

    @Test
    void answersEveryNthRequest503Or429AndTheConnectorsRetryLandsOnce() throws Exception {
        inbox = start(null).answeringFaults(2);
        byte[][] bodies = new byte[5][];
        for (int i = 1; i <= 4; i++) {
            bodies[i] = ("{\"handoffId\":\"h-" + i + "\",\"leadId\":\"l-" + i + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        assertThat(post(bodies[1], sign(bodies[1]), "h-1")).isEqualTo(201);
        assertThat(post(bodies[2], sign(bodies[2]), "h-2")).isEqualTo(503);
        assertThat(post(bodies[3], sign(bodies[3]), "h-3")).isEqualTo(201);
        HttpResponse<Void> limited = http.send(HttpRequest.newBuilder(inbox.webhookUrl())
                .header(HEADER, sign(bodies[4])).header("Idempotency-Key", "h-4")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[4])).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(inbox.faults()).isEqualTo(2);
        assertThat(inbox.distinct()).as("a fault takes nothing").isEqualTo(2);

        // The connector's client sees both faults as transient, and its retry is taken once.
        WebhookCrmClient crm = client(inbox.webhookUrl(), SECRET);
        DeliveryResult retry = crm.deliver(List.of(handoff("h-2", "l-2")));
        assertThat(retry.allDelivered()).as("request 5 is no fault").isTrue();
        DeliveryResult sixth = crm.deliver(List.of(handoff("h-4", "l-4")));
        assertThat(sixth.outcomes().get(0).outcome()).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) sixth.outcomes().get(0).outcome()).reason()).startsWith("HTTP 503");
        assertThat(inbox.distinct()).isEqualTo(3);
    }

    private CrmInbox start(Path journal) {
        try {
            return new CrmInbox(SECRET.getBytes(StandardCharsets.UTF_8), HEADER, 100, journal, announced::add,
                    Clock.systemUTC()).start(DemoDefaults.LOOPBACK, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WebhookCrmClient client(URI url, String secret) {
        return new WebhookCrmClient(HttpClient.newHttpClient(), url, new Password(secret), HEADER, Map.of(),
                Duration.ofSeconds(5), Clock.systemUTC());
    }

    private int post(byte[] body, String signature, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(inbox.webhookUrl())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(HEADER, signature);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String sign(byte[] body) {
        return "sha256=" + CrmInbox.hmacSha256Hex(SECRET.getBytes(StandardCharsets.UTF_8), body);
    }

    private static Handoff handoff(String handoffId, String leadId) {
        return new Handoff(handoffId, leadId, "SQL", "MQL", Instant.parse("2026-03-02T10:00:00Z"), 145.5, 95.5, 50.0,
                "A", "HOT", "ACTIVE", "b2b-default@1",
                List.of(new Handoff.Reason("demo-request", 50), new Handoff.Reason("decision-maker", 25)),
                "ana@acme.example", "Ana", "Kowalska", "Acme Logistics");
    }
}
