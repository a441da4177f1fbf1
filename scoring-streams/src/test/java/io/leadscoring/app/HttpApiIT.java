package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.app.http.ApiRoute;
import io.leadscoring.app.http.HttpApi;
import io.leadscoring.cli.ReplayAccess;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.Names;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The HTTP API of the running application on a real broker: a lead as the API shows it is the lead's latest record
 * on the scores topic, the top list is the hottest leads, and with two instances of one application every lead and
 * the whole top list are reachable from either (forwarding and merging), through the bearer token.
 */
@EmbeddedKafka
class HttpApiIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final int PARTITIONS = 3;
    private static final String TOKEN = "it-token-" + UUID.randomUUID();

    private final KafkaBroker broker;
    private final List<ScoringApplication> running = new ArrayList<>();
    private final String scope = "http-api-it-" + UUID.randomUUID();
    private final ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    HttpApiIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void closeApplications() {
        running.forEach(ScoringApplication::close);
    }

    @Test
    void oneInstanceAnswersLeadsTopHealthAndMetrics() throws Exception {
        Topics topics = uniqueTopics("one");
        ScoringApplication app = start(config("one", topics, tmp.resolve("state"), null));
        AppTestSupport.awaitRunning(app, TIMEOUT);
        String base = "http://127.0.0.1:" + app.httpPort();

        List<ReplayAccess.Input> inputs = sampleInputs();
        produce(topics, inputs);
        Map<String, LeadScore> latest = latestScores(topics, inputs);

        for (LeadScore expected : latest.values()) {
            assertSameLead(get(base + ApiRoute.leadPath(expected.getLeadId()), null), expected);
        }
        HttpResponse<String> unknown = get(base + "/leads/nobody-" + UUID.randomUUID(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("unknown lead");

        // The top 3 by the score decayed to now: what asking every lead says, in order.
        JsonNode top = json(get(base + "/leads/top?n=3", null), 200);
        assertThat(top.get("n").asInt()).isEqualTo(3);
        List<JsonNode> leads = list(top.get("leads"));
        assertThat(leads).hasSize(3);
        assertSortedHottestFirst(leads);
        List<JsonNode> everyLead = new ArrayList<>();
        for (String lead : latest.keySet()) {
            everyLead.add(json(get(base + ApiRoute.leadPath(lead), null), 200));
        }
        everyLead.sort(Comparator.comparingDouble((JsonNode l) -> -l.get("now").get("score").asDouble()));
        assertThat(ids(leads)).isEqualTo(ids(everyLead.subList(0, 3)));
        assertThat(ids(list(json(get(base + "/leads/top?n=1000", null), 200).get("leads"))))
                .containsExactlyInAnyOrderElementsOf(latest.keySet());
        assertThat(get(base + "/leads/top?n=0", null).statusCode()).isEqualTo(400);
        assertThat(get(base + "/leads/top?n=1001", null).statusCode()).isEqualTo(400);

        // The web page's feed: exactly the committed handoffs, newest first; the page itself is open.
        RuleSet rules = RuleFileLoader.load(samplesDir().resolve("rules.yaml"));
        List<String> handoffIds = ScoringPipelineIT.Reference.of(rules, List.of(inputs)).handoffs(0).stream()
                .map(StageChange::getHandoffId).toList();
        assertThat(handoffIds).as("the samples hand leads over").isNotEmpty();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode feed = json(get(base + "/handoffs?limit=200", null), 200);
        while (feed.get("total").asInt() < handoffIds.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            feed = json(get(base + "/handoffs?limit=200", null), 200);
        }
        assertThat(feed.get("total").asInt()).isEqualTo(handoffIds.size());
        List<String> fed = new ArrayList<>();
        feed.get("handoffs").forEach(h -> fed.add(h.get("handoffId").asText()));
        assertThat(fed).containsExactlyInAnyOrderElementsOf(handoffIds);
        assertThat(json(get(base + "/handoffs?limit=1", null), 200).get("handoffs")).hasSize(1);
        assertThat(get(base + "/handoffs?limit=0", null).statusCode()).isEqualTo(400);
        HttpResponse<String> page = get(base + "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("Live handoffs", "/handoffs?limit=");

        JsonNode health = json(get(base + "/health", null), 200);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("state").asText()).isEqualTo("RUNNING");

        HttpResponse<String> metrics = get(base + "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("kafka_stream_", "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_");
        assertThat(get(base + "/leads", null).statusCode()).isEqualTo(404);

        assertDomainMetrics(base, topics, inputs, rules);
    }

    @Test
    void twoInstancesAnswerForEveryLeadAndMergeTheirTopListsWithTheToken() throws Exception {
        Topics topics = uniqueTopics("two");
        ScoringApplication first = start(config("two", topics, tmp.resolve("state-1"), TOKEN));
        AppTestSupport.awaitRunning(first, TIMEOUT);
        ScoringApplication second = start(config("two", topics, tmp.resolve("state-2"), TOKEN));
        awaitBalanced(first, second);
        List<ScoringApplication> apps = List.of(first, second);

        List<ReplayAccess.Input> inputs = sampleInputs();
        produce(topics, inputs);
        Map<String, LeadScore> latest = latestScores(topics, inputs);

        // Both instances hold some of the leads, so forwarding runs both ways.
        Map<HostInfo, Set<String>> owners = new HashMap<>();
        for (String lead : latest.keySet()) {
            KeyQueryMetadata owner = first.streams().queryMetadataForKey(Names.LEAD_STATE_STORE, lead,
                    new StringSerializer());
            owners.computeIfAbsent(owner.activeHost(), h -> new LinkedHashSet<>()).add(lead);
        }
        assertThat(owners.keySet()).as("owners of the leads").containsExactlyInAnyOrder(
                new HostInfo("127.0.0.1", first.httpPort()), new HostInfo("127.0.0.1", second.httpPort()));

        for (ScoringApplication app : apps) {
            String base = "http://127.0.0.1:" + app.httpPort();
            for (LeadScore expected : latest.values()) {
                assertSameLead(get(base + ApiRoute.leadPath(expected.getLeadId()), TOKEN), expected);
            }
            List<JsonNode> all = list(json(get(base + "/leads/top?n=1000", TOKEN), 200).get("leads"));
            assertThat(ids(all)).as("every lead once, merged from both instances")
                    .containsExactlyInAnyOrderElementsOf(latest.keySet());
            assertSortedHottestFirst(all);
            List<JsonNode> three = list(json(get(base + "/leads/top?n=3", TOKEN), 200).get("leads"));
            assertThat(three).hasSize(3);
            assertSortedHottestFirst(three);

            assertThat(get(base + "/leads/top?n=3", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/leads/top?n=3", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/metrics", TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base + "/handoffs", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/", null).statusCode()).as("the static page is open").isEqualTo(200);
            assertThat(json(get(base + "/health", null), 200).get("status").asText()).isEqualTo("UP");
        }

        // A request another instance forwarded is answered where it lands, never forwarded again.
        String heldBySecond = owners.get(new HostInfo("127.0.0.1", second.httpPort())).iterator().next();
        HttpResponse<String> looped = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.httpPort()
                        + ApiRoute.leadPath(heldBySecond)))
                .header("Authorization", "Bearer " + TOKEN)
                .header(HttpApi.FORWARDED_BY_HEADER, "127.0.0.1:" + second.httpPort()));
        assertThat(looped.statusCode()).isEqualTo(503);
        assertThat(looped.headers().firstValue("Retry-After")).isPresent();
    }

    // ---- assertions

    /** The API's lead at its last evaluation is the lead's latest LeadScore, field by field. */
    /**
     * What a sales-ops person does: opens the page in a browser (headless Chromium, Debian's chromium and
     * chromium-driver; .ci/run installs them), sees the handoffs arrive, clicks a lead and reads its score and reasons.
     */
    @Test
    void theWebPageShowsLiveHandoffsAndLooksUpALeadInHeadlessChromium() throws Exception {
        Path chromium = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        Path driverBinary = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(driverBinary);
        if (Boolean.parseBoolean(System.getenv("REQUIRE_CHROMIUM"))) {
            assertThat(installed).as("CI installs chromium and chromium-driver (apt); missing: " + chromium + ", "
                    + driverBinary).isTrue();
        }
        Assumptions.assumeTrue(installed, "needs Debian's chromium and chromium-driver");

        Topics topics = uniqueTopics("page");
        ScoringApplication app = start(config("page", topics, tmp.resolve("state"), TOKEN));
        AppTestSupport.awaitRunning(app, TIMEOUT);
        List<ReplayAccess.Input> inputs = sampleInputs();
        produce(topics, inputs);
        RuleSet rules = RuleFileLoader.load(samplesDir().resolve("rules.yaml"));
        List<StageChange> handoffs = ScoringPipelineIT.Reference.of(rules, List.of(inputs)).handoffs(0);
        Map<String, LeadScore> latest = latestScores(topics, inputs);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + tmp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get("http://127.0.0.1:" + app.httpPort() + "/?token=" + TOKEN);
            WebDriverWait wait = new WebDriverWait(browser, TIMEOUT);
            wait.until(d -> d.findElements(By.cssSelector("#handoffs tr[data-handoff]")).size() == handoffs.size());
            List<String> shown = browser.findElements(By.cssSelector("#handoffs tr[data-handoff]")).stream()
                    .map(row -> row.getDomAttribute("data-handoff")).toList();
            assertThat(shown).containsExactlyInAnyOrderElementsOf(handoffs.stream().map(StageChange::getHandoffId).toList());
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("live");

            StageChange first = handoffs.get(0);
            WebElement row = browser.findElement(By.cssSelector("#handoffs tr[data-handoff='" + first.getHandoffId() + "']"));
            assertThat(row.getText()).contains(first.getLeadId()).contains(first.getReasons().get(0).getRule());
            row.findElement(By.cssSelector("button.lead")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#lead-facts dd[data-field='Stage']")).isEmpty());
            LeadScore lead = latest.get(first.getLeadId());
            assertThat(browser.findElement(By.cssSelector("#lead-facts dd[data-field='Stage']")).getText())
                    .isEqualTo(lead.getStage().name());
            assertThat(browser.findElement(By.cssSelector("#lead-facts dd[data-field='Score']")).getText())
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", lead.getScore()));
            assertThat(browser.findElement(By.id("lead")).getText()).contains(lead.getReasons().get(0).getRule());

            WebElement input = browser.findElement(By.id("lead-id"));
            input.clear();
            input.sendKeys("nobody-" + UUID.randomUUID());
            browser.findElement(By.cssSelector("#lookup button[type=submit]")).click();
            wait.until(d -> d.findElement(By.id("lead")).getText().startsWith("No lead"));
        } finally {
            browser.quit();
        }
    }

    private static void assertSameLead(HttpResponse<String> response, LeadScore expected) throws Exception {
        String lead = expected.getLeadId();
        JsonNode json = json(response, 200);
        assertThat(json.get("leadId").asText()).isEqualTo(lead);
        assertThat(json.get("asOf").asLong()).as("asOf of %s", lead).isEqualTo(expected.getAsOf().toEpochMilli());
        assertThat(json.get("stage").asText()).as("stage of %s", lead).isEqualTo(expected.getStage().name());
        assertThat(json.get("score").asDouble()).as("score of %s", lead).isEqualTo(expected.getScore());
        assertThat(json.get("engagement").asDouble()).as("engagement of %s", lead)
                .isEqualTo(expected.getEngagement());
        assertThat(json.get("fit").asDouble()).as("fit of %s", lead).isEqualTo(expected.getFit());
        assertThat(json.get("fitGrade").asText()).isEqualTo(expected.getFitGrade().name());
        assertThat(json.get("temperature").asText()).isEqualTo(expected.getTemperature().name());
        assertThat(json.get("activity").asText()).as("activity of %s", lead)
                .isEqualTo(expected.getActivity().name());
        assertThat(json.get("ruleSet").asText()).isEqualTo(expected.getRuleSet());
        List<String> reasons = new ArrayList<>();
        json.get("reasons").forEach(r -> reasons.add(r.get("rule").asText() + "=" + r.get("points").asDouble()));
        assertThat(reasons).as("reasons of %s", lead).isEqualTo(
                expected.getReasons().stream().map(r -> r.getRule() + "=" + r.getPoints()).toList());

        // Decayed to now: later, with the same fit (fit does not decay).
        JsonNode now = json.get("now");
        assertThat(now.get("at").asLong()).isGreaterThanOrEqualTo(json.get("asOf").asLong());
        assertThat(now.get("fit").asDouble()).isEqualTo(expected.getFit());
        assertThat(now.get("score").asDouble()).isCloseTo(now.get("engagement").asDouble() + expected.getFit(),
                within(1e-9));
    }

    /**
     * The domain metrics after the samples: exact counts of what the reference processed, then a re-sent event and
     * two bad records (one unreadable, one breaking the contract), and every leadscoring_* family with a non-zero
     * sample.
     */
    private void assertDomainMetrics(String base, Topics topics, List<ReplayAccess.Input> inputs, RuleSet rules)
            throws Exception {
        ScoringPipelineIT.Reference reference = ScoringPipelineIT.Reference.of(rules, List.of(inputs));
        long events = inputs.stream().filter(i -> i.kind() != ReplayAccess.Kind.PROFILE).count();
        int duplicates = reference.ignoredDuplicates(0);
        // The last records of a partition may be duplicates, which emit nothing: wait for them to be counted too.
        Map<String, Double> samples = awaitMetrics(base, m -> sum(m, "leadscoring_events_total") == events - duplicates
                && sum(m, "leadscoring_duplicate_events_total") == duplicates);
        assertThat(sum(samples, "leadscoring_events_total")).isEqualTo(events - duplicates);
        assertThat(sum(samples, "leadscoring_duplicate_events_total")).isEqualTo(duplicates);
        assertThat(sum(samples, "leadscoring_lead_score_count")).isEqualTo(reference.scores(0).size());
        assertThat(sum(samples, "leadscoring_stage_changes_total")).isEqualTo(reference.changes(0).size());
        assertThat(sum(samples, "leadscoring_handoffs_total")).isEqualTo(reference.handoffs(0).size());
        assertThat(sum(samples, "leadscoring_handoff_latency_seconds_count")).isEqualTo(reference.handoffs(0).size());
        assertThat(samples).containsEntry(
                "leadscoring_rule_set_info{name=\"" + rules.name() + "\",version=\"" + rules.version() + "\"}", 1.0);

        ReplayAccess.Input recent = inputs.stream().filter(i -> i.leadId().equals("recent-1")).findFirst()
                .orElseThrow();
        KafkaAvroSerializer avro = new KafkaAvroSerializer();
        avro.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        WebEvent misfiled = WebEvent.newBuilder((WebEvent) recent.value()).setEventId("misfiled").build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.webEvents(), recent.leadId(),
                    avro.serialize(topics.webEvents(), recent.value()))).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topics.webEvents(), recent.leadId(),
                    "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topics.webEvents(), "another-lead",
                    avro.serialize(topics.webEvents(), misfiled))).get(30, TimeUnit.SECONDS);
        }

        List<String> stores = List.of(Names.LEAD_STATE_STORE, Names.PROFILES_STORE, Names.SEEN_EVENTS_STORE,
                Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE);
        // Store sizes are measured at most every 10 s: the first scrape may have cached an early measurement.
        samples = awaitMetrics(base, m -> sum(m, "leadscoring_duplicate_events_total") == duplicates + 1
                && sum(m, "leadscoring_dead_letters_total") == 2
                && stores.stream().allMatch(s -> m.getOrDefault(storeSeries(s), 0.0) > 0));
        assertThat(samples).containsEntry("leadscoring_dead_letters_total{reason=\"NO_MAGIC_BYTE\"}", 1.0)
                .containsEntry("leadscoring_dead_letters_total{reason=\"INVALID_RECORD\"}", 1.0);
        assertThat(sum(samples, "leadscoring_duplicate_events_total")).isEqualTo(duplicates + 1);
        assertThat(sum(samples, "leadscoring_events_total")).as("neither re-sent nor bad records are scored")
                .isEqualTo(events - duplicates);
        for (String store : stores) {
            assertThat(samples.get(storeSeries(store))).as("entries of %s", store).isPositive();
        }
        // RocksDB's estimate: at least one entry per lead, and overwrites not yet compacted count too.
        assertThat(samples.get(storeSeries(Names.LEAD_STATE_STORE)))
                .as("entries of lead-state").isGreaterThanOrEqualTo(leadCount(inputs));
        for (String family : List.of("leadscoring_events_total", "leadscoring_duplicate_events_total",
                "leadscoring_points_awarded_total", "leadscoring_awards_total", "leadscoring_stage_changes_total",
                "leadscoring_handoffs_total", "leadscoring_lead_score_bucket", "leadscoring_lead_score_count",
                "leadscoring_lead_score_sum", "leadscoring_handoff_latency_seconds_bucket",
                "leadscoring_handoff_latency_seconds_count", "leadscoring_handoff_latency_seconds_sum",
                "leadscoring_dead_letters_total", "leadscoring_rule_set_info", "leadscoring_state_store_entries")) {
            assertThat(samples).as("a non-zero sample of %s", family)
                    .anySatisfy((series, value) -> {
                        assertThat(series).matches(Pattern.quote(family) + "(\\{.*)?");
                        assertThat(value).isPositive();
                    });
        }
    }

    private static void assertSortedHottestFirst(List<JsonNode> leads) {
        for (int i = 1; i < leads.size(); i++) {
            assertThat(leads.get(i).get("now").get("score").asDouble())
                    .as("score of place %d", i + 1)
                    .isLessThanOrEqualTo(leads.get(i - 1).get("now").get("score").asDouble());
        }
    }

    // ---- data

    /**
     * The samples (as replay reads them) and a few recent leads of the test's own, so that three partitions all
     * hold leads; profiles first.
     */
    private static List<ReplayAccess.Input> sampleInputs() {
        Path samples = samplesDir();
        List<ReplayAccess.Input> inputs = new ArrayList<>(ReplayAccess.readReadable(samples.resolve("profiles.jsonl")));
        inputs.addAll(ReplayAccess.readReadable(samples.resolve("events.jsonl")));
        long t0 = System.currentTimeMillis() - 48 * HOUR;
        String[] paths = {"/pricing", "/blog/a", "/demo", "/customers/acme"};
        for (int lead = 0; lead < 12; lead++) {
            String id = "recent-" + lead;
            for (int e = 0; e <= lead % 4; e++) {
                String path = paths[(lead + e) % paths.length];
                inputs.add(new ReplayAccess.Input(ReplayAccess.Kind.WEB, id, WebEvent.newBuilder()
                        .setEventId(id + "-" + e).setLeadId(id)
                        .setOccurredAt(Instant.ofEpochMilli(t0 + lead * HOUR + e * 7 * HOUR))
                        .setUrl("https://www.example.com" + path)
                        .setAction(path.equals("/demo") ? WebAction.FORM_SUBMIT : WebAction.PAGE_VIEW).build()));
            }
        }
        return inputs;
    }

    /** Every lead's latest LeadScore, once the scores topic holds all of them (as many as the reference emits). */
    private Map<String, LeadScore> latestScores(Topics topics, List<ReplayAccess.Input> inputs) throws Exception {
        RuleSet rules = RuleFileLoader.load(samplesDir().resolve("rules.yaml"));
        int expected = ScoringPipelineIT.Reference.of(rules, List.of(inputs)).scores(0).size();
        List<ConsumerRecord<String, LeadScore>> records = broker.consume(topics.scores(), new StringDeserializer(),
                serdes.leadScore().deserializer(), expected, TIMEOUT);
        Map<String, LeadScore> latest = new TreeMap<>();
        records.forEach(r -> latest.put(r.key(), r.value())); // a lead is in one partition: offset order is its order
        Set<String> leads = new LinkedHashSet<>();
        inputs.forEach(i -> leads.add(i.leadId()));
        assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(leads);
        return latest;
    }

    // ---- plumbing

    private static long leadCount(List<ReplayAccess.Input> inputs) {
        return inputs.stream().map(ReplayAccess.Input::leadId).distinct().count();
    }

    private static String storeSeries(String store) {
        return "leadscoring_state_store_entries{store=\"" + store + "\"}";
    }

    /** The /metrics samples once {@code done} holds of them, or when the time is up (the assertions then say). */
    private Map<String, Double> awaitMetrics(String base, Predicate<Map<String, Double>> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Map<String, Double> samples = samples(get(base + "/metrics", null).body());
            if (done.test(samples) || System.nanoTime() > deadline) {
                return samples;
            }
            Thread.sleep(250);
        }
    }

    /** Prometheus text: every sample's series (name and labels) and its value. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The sum of a metric's samples over all its label values. */
    private static double sum(Map<String, Double> samples, String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static List<String> ids(List<JsonNode> leads) {
        return leads.stream().map(l -> l.get("leadId").asText()).toList();
    }

    private Topics uniqueTopics(String test) {
        return new Topics(broker.uniqueTopic(test + "-web"), broker.uniqueTopic(test + "-email"),
                broker.uniqueTopic(test + "-download"), broker.uniqueTopic(test + "-profiles"),
                broker.uniqueTopic(test + "-scores"), broker.uniqueTopic(test + "-stage-changes"),
                broker.uniqueTopic(test + "-sql-handoffs"), broker.uniqueTopic(test + "-dead-letter"),
                broker.uniqueTopic(test + "-erasures"));
    }

    private final Map<String, String> applicationIds = new HashMap<>();

    /** The API on a free port of the loopback address; instances of one {@code name} share an application id. */
    private Map<String, Object> config(String name, Topics topics, Path stateDir, String token) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG,
                applicationIds.computeIfAbsent(name, n -> broker.uniqueGroupId("http-" + n)));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "1000");
        config.put("schema.registry.url", "mock://" + scope);
        config.put("rules.file", samplesDir().resolve("rules.yaml").toString());
        AppTestSupport.putTopics(config, topics);
        config.put("topics.partitions", Integer.toString(PARTITIONS));
        config.put("topics.replication.factor", "1");
        // The samples are dated October 2026 and the recent leads two days before now: window stores forget what is
        // older than their partition's newest record by more than the horizon, and the reference forgets nothing.
        config.put("late.event.horizon.ms", Long.toString(Duration.ofDays(3650).toMillis()));
        config.put("http.port", "0");
        if (token != null) {
            config.put("http.auth.token", token);
        }
        return config;
    }

    private ScoringApplication start(Map<String, Object> config) throws Exception {
        ScoringApplication app = new ScoringApplication(config);
        running.add(app);
        app.start();
        return app;
    }

    /** Both RUNNING, each with active tasks. */
    private static void awaitBalanced(ScoringApplication first, ScoringApplication second)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            boolean running = first.streams().state() == KafkaStreams.State.RUNNING
                    && second.streams().state() == KafkaStreams.State.RUNNING;
            int a = activeTasks(first);
            int b = activeTasks(second);
            if (running && a > 0 && b > 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not balanced within " + TIMEOUT + ": " + first.streams().state() + "/" + a
                        + ", " + second.streams().state() + "/" + b);
            }
            Thread.sleep(50);
        }
    }

    private static int activeTasks(ScoringApplication app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    /** In list order, with the project's Avro serializer; the key is the lead id. */
    private void produce(Topics topics, List<ReplayAccess.Input> inputs) throws Exception {
        Map<ReplayAccess.Kind, String> topicOf = Map.of(ReplayAccess.Kind.WEB, topics.webEvents(),
                ReplayAccess.Kind.EMAIL, topics.emailEvents(), ReplayAccess.Kind.DOWNLOAD, topics.downloadEvents(),
                ReplayAccess.Kind.PROFILE, topics.profiles());
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        Map<String, Object> config = broker.producerConfig();
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (ReplayAccess.Input input : inputs) {
                sent.add(producer.send(new ProducerRecord<>(topicOf.get(input.kind()), input.leadId(),
                        input.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Path samplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path samples = p.resolve("samples");
            if (Files.isRegularFile(samples.resolve("rules.yaml"))) {
                return samples;
            }
        }
        throw new AssertionError("samples/ not found above " + Path.of("").toAbsolutePath());
    }
}
