package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadscoring.cli.ReplayAccess;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Reason;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input of issue 8, interleaved with valid records on the same partitions, sent to the running
 * pipeline ({@link ScoringApplication} as {@code run} starts it, on the embedded broker, with its metrics on
 * {@code /metrics}). The application must stay RUNNING with the same stream threads throughout; every bad record
 * must land on the dead-letter topic once, with its reason and where it came from; {@code
 * leadscoring_dead_letters_total} must equal the dead letters by reason and {@code leadscoring_events_total} the
 * valid events; and every valid record must be scored as the same topology scores the valid records alone
 * ({@link ScoringPipelineIT.Reference}, TopologyTestDriver): none lost. The figures are printed for
 * docs/RELIABILITY.md.
 */
@EmbeddedKafka
class BadInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int PARTITIONS = 2;
    private static final int HUGE = 3 * 1024 * 1024;
    /** The web and profile topics take records this large, so that multi-megabyte strings reach the application. */
    private static final int LARGE_TOPIC_BYTES = 8 * 1024 * 1024;
    private static final String WEB_V2_WITH_SCROLL = WebEvent.getClassSchema().toString()
            .replace("\"CLICK\"]", "\"CLICK\",\"SCROLL\"]");

    private final KafkaBroker broker;
    private final String scope = "bad-input-it-" + UUID.randomUUID();
    private final List<ScoringApplication> running = new ArrayList<>();

    @TempDir
    Path tmp;

    BadInputIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void close() {
        running.forEach(ScoringApplication::close);
    }

    /** One record to send: its bytes, the dead-letter reason it must get (null: valid) and what replay scores. */
    record Send(String kind, String topic, String key, byte[] value, String reason, ReplayAccess.Input reference) {
    }

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndNoValidRecordIsLost() throws Exception {
        Path rulesFile = samplesDir().resolve("rules.yaml");
        RuleSet rules = RuleFileLoader.load(rulesFile);
        Topics topics = uniqueTopics();
        // Inputs exist before start; the web and profile topics take 8 MiB records. The application creates the outputs.
        List<NewTopic> inputs = new ArrayList<>();
        for (String topic : topics.inputs()) {
            NewTopic t = new NewTopic(topic, PARTITIONS, (short) 1);
            if (topic.equals(topics.webEvents())) {
                t.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LARGE_TOPIC_BYTES)));
            } else if (topic.equals(topics.profiles())) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LARGE_TOPIC_BYTES)));
            }
            inputs.add(t);
        }
        broker.admin().createTopics(inputs).all().get(30, TimeUnit.SECONDS);

        List<Send> sends = records(topics);
        List<ReplayAccess.Input> valid = sends.stream().filter(s -> s.reference() != null)
                .map(Send::reference).toList();
        ScoringPipelineIT.Reference reference = ScoringPipelineIT.Reference.of(rules, List.of(valid));
        assertThat(reference.handoffs(0)).as("the valid records hand leads over").isNotEmpty();

        ScoringApplication app = new ScoringApplication(config(topics, rulesFile));
        running.add(app);
        app.start();
        AppTestSupport.awaitRunning(app, TIMEOUT);
        Set<String> threads = AppTestSupport.threadNames(app);
        List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                states.add(app.streams().state());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "state-watcher");
        watcher.start();

        // All in one go, bad and valid interleaved, in list order per partition.
        Map<Send, RecordMetadata> where = new LinkedHashMap<>();
        Map<String, Object> producerConfig = broker.producerConfig();
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGE_TOPIC_BYTES);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            Map<Send, Future<RecordMetadata>> futures = new LinkedHashMap<>();
            for (Send s : sends) {
                futures.put(s, producer.send(new ProducerRecord<>(s.topic(), s.key(), s.value())));
            }
            producer.flush();
            for (var f : futures.entrySet()) {
                where.put(f.getKey(), f.getValue().get(30, TimeUnit.SECONDS));
            }
        }

        List<Send> bad = sends.stream().filter(s -> s.reason() != null).toList();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        for (long deadline = System.nanoTime() + TIMEOUT.toNanos();
                deadLetters.size() < bad.size() && System.nanoTime() < deadline; ) {
            deadLetters = broker.consumeFor(topics.deadLetter(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(), QUIET);
        }
        Map<String, LeadScore> latest = awaitLatestScores(topics, reference);
        List<StageChange> handoffs = values(broker.consume(topics.sqlHandoffs(), new StringDeserializer(),
                serdes().stageChange().deserializer(), reference.handoffs(0).size(), TIMEOUT));
        List<ConsumerRecord<byte[], byte[]>> again = broker.consumeFor(topics.deadLetter(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), QUIET);
        deadLetters = again.size() >= deadLetters.size() ? again : deadLetters;
        handoffs = values(broker.consumeFor(topics.sqlHandoffs(), new StringDeserializer(),
                serdes().stageChange().deserializer(), QUIET));
        String metrics = get("http://127.0.0.1:" + app.httpPort() + "/metrics");
        watching.set(false);
        watcher.join();

        // 1. Every bad record on the dead-letter topic once, with its reason, origin and (unless too large) bytes.
        for (Send s : bad) {
            RecordMetadata at = where.get(s);
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.stream()
                    .filter(r -> header(r, DeadLetterHandler.HEADER_TOPIC).equals(at.topic())
                            && header(r, DeadLetterHandler.HEADER_PARTITION).equals(Integer.toString(at.partition()))
                            && header(r, DeadLetterHandler.HEADER_OFFSET).equals(Long.toString(at.offset())))
                    .toList();
            assertThat(letters).as("dead letters of '%s'", s.kind()).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(header(letter, DeadLetterHandler.HEADER_REASON)).as("reason of '%s'", s.kind())
                    .isEqualTo(s.reason());
            assertThat(header(letter, DeadLetterHandler.HEADER_ERROR)).as("error of '%s'", s.kind()).isNotBlank()
                    .hasSizeLessThan(1100);
            if (s.value() != null && s.value().length > 1024 * 1024) {
                assertThat(header(letter, DeadLetterHandler.HEADER_OMITTED)).as("'%s'", s.kind())
                        .contains(Integer.toString(s.value().length));
                assertThat(letter.value()).isNull();
            } else {
                assertThat(letter.value()).as("original bytes of '%s'", s.kind()).isEqualTo(s.value());
            }
        }

        assertThat(deadLetters).as("one dead letter per bad record, nothing else").hasSize(bad.size());

        // 2. The counters match the topic.
        Map<String, Long> lettersByReason = new TreeMap<>(deadLetters.stream().collect(Collectors.groupingBy(
                r -> header(r, DeadLetterHandler.HEADER_REASON), Collectors.counting())));
        Map<String, Double> counted = series(metrics, "leadscoring_dead_letters_total", "reason");
        lettersByReason.forEach((reason, n) -> assertThat(counted.get(reason)).as("dead letters %s", reason)
                .isEqualTo(n.doubleValue()));
        assertThat(counted.values().stream().mapToDouble(Double::doubleValue).sum())
                .as("no dead letter counted that is not on the topic").isEqualTo((double) deadLetters.size());
        long validEvents = valid.stream().filter(i -> i.kind() != ReplayAccess.Kind.PROFILE).count();
        Map<String, Double> events = series(metrics, "leadscoring_events_total", "source");
        assertThat(events.values().stream().mapToDouble(Double::doubleValue).sum()).as("events counted")
                .isEqualTo((double) validEvents);
        assertThat(series(metrics, "leadscoring_duplicate_events_total", "source").values())
                .allSatisfy(d -> assertThat(d).isZero());
        assertThat(series(metrics, "leadscoring_handoffs_total", null).get("")).isEqualTo(
                (double) reference.handoffs(0).size());

        // 3. No valid record lost: every lead's latest score and every handoff as the reference has them.
        Map<String, LeadScore> expected = new TreeMap<>();
        reference.scores(0).forEach(s -> expected.put(s.getLeadId(), s));
        assertThat(latest.keySet()).as("leads scored").isEqualTo(expected.keySet());
        expected.forEach((lead, e) -> {
            LeadScore a = latest.get(lead);
            assertThat(a.getAsOf()).as("asOf of %s", lead).isEqualTo(e.getAsOf());
            assertThat(a.getScore()).as("score of %s", lead).isCloseTo(e.getScore(), within(1e-9));
            assertThat(a.getStage()).as("stage of %s", lead).isEqualTo(e.getStage());
            assertThat(reasons(a.getReasons())).as("reasons of %s", lead).isEqualTo(reasons(e.getReasons()));
        });
        assertThat(handoffs.stream().map(StageChange::getHandoffId).sorted().toList()).as("handoffs")
                .isEqualTo(reference.handoffs(0).stream().map(StageChange::getHandoffId).sorted().toList());

        // 4. Running throughout, no stream thread died.
        assertThat(states).as("Kafka Streams' state, sampled every 20 ms").isNotEmpty()
                .containsOnly(KafkaStreams.State.RUNNING);
        assertThat(AppTestSupport.threadNames(app)).as("no stream thread was replaced").isEqualTo(threads);

        // The figures, for docs/RELIABILITY.md.
        Map<String, Long> sentByKind = new LinkedHashMap<>();
        bad.forEach(s -> sentByKind.merge(s.kind() + " -> " + s.reason(), 1L, Long::sum));
        System.out.printf("BAD-INPUT sent: %d bad records %s; %d valid records (%d events, %d profiles)%n",
                bad.size(), sentByKind, valid.size(), validEvents, valid.size() - validEvents);
        System.out.printf("BAD-INPUT dead-letter topic by reason %s; leadscoring_dead_letters_total %s; "
                + "leadscoring_events_total sum %.0f; leads scored %d of %d; handoffs %d of %d; lost 0%n",
                lettersByReason, new TreeMap<>(counted), events.values().stream().mapToDouble(d -> d).sum(),
                latest.size(), expected.size(), handoffs.size(), reference.handoffs(0).size());
    }

    /** The records: valid leads' events and profiles, with every kind of bad record between them. */
    private List<Send> records(Topics topics) {
        Random random = new Random(8);
        long t0 = Math.floorDiv(System.currentTimeMillis() - 3 * DAY, DAY) * DAY + 9 * HOUR;
        List<Send> valid = new ArrayList<>();
        String[] paths = {"/blog/a", "/pricing", "/customers/acme", "/demo", "/contact", "/careers"};
        // Each lead's records are in one topic, so that the live order of a lead's records is the list order.
        for (int l = 0; l < 12; l++) {
            String lead = String.format("ok-%02d", l);
            long t = t0 + l * 1000;
            if (l % 4 == 0) {
                valid.add(valid(topics, ReplayAccess.Kind.PROFILE, lead, LeadProfile.newBuilder().setLeadId(lead)
                        .setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle(l % 8 == 0 ? "VP Sales" : "Analyst")
                        .setCompanySize(300).setIndustry("software").setEmail(lead + "@acme.example").build()));
                continue;
            }
            for (int e = 0; e < 4; e++) {
                t += HOUR;
                String id = lead + "-e" + e;
                if (l % 4 == 1) {
                    String path = paths[random.nextInt(paths.length)];
                    valid.add(valid(topics, ReplayAccess.Kind.WEB, lead, web(lead, id, t, path,
                            path.equals("/demo") || path.equals("/contact") ? WebAction.FORM_SUBMIT
                                    : WebAction.PAGE_VIEW)));
                } else if (l % 4 == 2) {
                    valid.add(valid(topics, ReplayAccess.Kind.EMAIL, lead, EmailEvent.newBuilder().setEventId(id)
                            .setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t))
                            .setType(e % 2 == 0 ? EmailEventType.CLICKED : EmailEventType.OPENED)
                            .setEmailKind("offer").build()));
                } else {
                    valid.add(valid(topics, ReplayAccess.Kind.DOWNLOAD, lead, DownloadEvent.newBuilder()
                            .setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t)).setAssetId(id)
                            .setAssetType(e % 2 == 0 ? AssetType.PRICE_LIST : AssetType.WHITEPAPER).build()));
                }
            }
        }
        // A buyer who books a demo: a handoff whatever else happens around it.
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "buyer", web("buyer", "b1", t0, "/pricing",
                WebAction.PAGE_VIEW)));
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "buyer", web("buyer", "b2", t0 + HOUR, "/demo",
                WebAction.FORM_SUBMIT)));
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "buyer", web("buyer", "b3", t0 + 2 * HOUR, "/contact",
                WebAction.FORM_SUBMIT)));
        // Absurd but valid: 1970-01-01 (epoch 0) is a time the contract allows; then a current event.
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "epoch", web("epoch", "x1", 0, "/pricing",
                WebAction.PAGE_VIEW)));
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "epoch", web("epoch", "x2", t0, "/pricing",
                WebAction.PAGE_VIEW)));
        // A 3 MiB url is no id and reaches no output: scored.
        valid.add(valid(topics, ReplayAccess.Kind.WEB, "long-url", web("long-url", "u1", t0, "/pricing?q="
                + "q".repeat(HUGE), WebAction.PAGE_VIEW)));
        // Written with a newer schema that adds an enum symbol, but using a known one: read and scored.
        WebEvent known = web("newer-schema", "n1", t0, "/demo", WebAction.FORM_SUBMIT);
        valid.add(new Send("newer writer schema, known symbol", topics.webEvents(), "newer-schema",
                generic(WEB_V2_WITH_SCROLL, known, "FORM_SUBMIT"), null,
                new ReplayAccess.Input(ReplayAccess.Kind.WEB, "newer-schema", known)));

        List<Send> bad = new ArrayList<>();
        long t = t0 + 30 * 60_000;
        for (String topic : List.of(topics.webEvents(), topics.emailEvents(), topics.profiles())) {
            byte[] noise = new byte[100];
            random.nextBytes(noise);
            noise[0] = (byte) (1 + random.nextInt(255));
            bad.add(new Send("random bytes", topic, "ok-01", noise, "NO_MAGIC_BYTE", null));
        }
        byte[] goodBytes = avro(topics.webEvents(), web("ok-01", "m1", t, "/pricing", WebAction.PAGE_VIEW));
        byte[] wrongMagic = goodBytes.clone();
        wrongMagic[0] = 1;
        bad.add(new Send("wrong magic byte", topics.webEvents(), "ok-01", wrongMagic, "NO_MAGIC_BYTE", null));
        bad.add(new Send("empty value", topics.webEvents(), "ok-04", new byte[0], "NO_MAGIC_BYTE", null));
        bad.add(new Send("truncated header", topics.downloadEvents(), "ok-02", new byte[] {0, 0, 0}, "TRUNCATED",
                null));
        byte[] unknownId = goodBytes.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 987_654);
        bad.add(new Send("unknown schema id", topics.webEvents(), "ok-04", unknownId, "UNKNOWN_SCHEMA_ID", null));
        bad.add(new Send("unknown schema id", topics.profiles(), "ok-03", unknownId, "UNKNOWN_SCHEMA_ID", null));
        bad.add(new Send("unknown enum symbol (newer writer schema)", topics.webEvents(), "ok-01",
                generic(WEB_V2_WITH_SCROLL, web("ok-01", "s1", t, "/blog/x", WebAction.PAGE_VIEW), "SCROLL"),
                "INVALID_AVRO", null));
        Schema webSchema = WebEvent.getClassSchema();
        String noLeadId = Schema.createRecord(webSchema.getName(), null, webSchema.getNamespace(), false,
                webSchema.getFields().stream().filter(f -> !f.name().equals("leadId"))
                        .map(f -> new Schema.Field(f, f.schema())).toList()).toString();
        assertThat(noLeadId).doesNotContain("\"leadId\"");
        bad.add(new Send("missing leadId field (writer schema without it)", topics.webEvents(), "ok-04",
                generic(noLeadId, web("ok-04", "ml1", t, "/pricing", WebAction.PAGE_VIEW), "PAGE_VIEW"),
                "INCOMPATIBLE_SCHEMA", null));
        Schema gone = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gone\",\"namespace\":"
                + "\"com.example\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord goneRecord = new GenericData.Record(gone);
        goneRecord.put("x", 1);
        bad.add(new Send("record of an unknown type", topics.emailEvents(), "ok-02",
                avroWithSubject("bad-input-other", goneRecord), "UNKNOWN_READER_CLASS", null));
        bad.add(new Send("empty leadId", topics.webEvents(), "ok-01", avro(topics.webEvents(),
                web("", "el1", t, "/demo", WebAction.FORM_SUBMIT)), DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("blank leadId and key", topics.emailEvents(), "  ", avro(topics.emailEvents(),
                EmailEvent.newBuilder().setEventId("bl1").setLeadId("  ").setOccurredAt(Instant.ofEpochMilli(t))
                        .setType(EmailEventType.OPENED).build()), DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("no key", topics.webEvents(), null, avro(topics.webEvents(),
                web("ok-04", "nk1", t, "/demo", WebAction.FORM_SUBMIT)), DeadLetterHandler.REASON_INVALID_RECORD,
                null));
        bad.add(new Send("key and leadId differ", topics.webEvents(), "ok-01", avro(topics.webEvents(),
                web("ok-04", "mm1", t, "/demo", WebAction.FORM_SUBMIT)), DeadLetterHandler.REASON_INVALID_RECORD,
                null));
        bad.add(new Send("empty eventId", topics.downloadEvents(), "ok-02", avro(topics.downloadEvents(),
                DownloadEvent.newBuilder().setEventId("").setLeadId("ok-02").setOccurredAt(Instant.ofEpochMilli(t))
                        .setAssetId("a").setAssetType(AssetType.PRICE_LIST).build()),
                DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("profile with empty leadId", topics.profiles(), "ok-03", avro(topics.profiles(),
                LeadProfile.newBuilder().setLeadId("").setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle("CEO")
                        .build()), DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("occurredAt before 1970", topics.webEvents(), "ok-04", avro(topics.webEvents(),
                web("ok-04", "old1", -1000, "/demo", WebAction.FORM_SUBMIT)), DeadLetterHandler.REASON_INVALID_RECORD,
                null));
        bad.add(new Send("profile updatedAt before 1970", topics.profiles(), "ok-06", avro(topics.profiles(),
                LeadProfile.newBuilder().setLeadId("ok-06").setUpdatedAt(Instant.ofEpochMilli(-1)).setJobTitle("CEO")
                        .build()), DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("occurredAt in 2200", topics.webEvents(), "ok-01", avro(topics.webEvents(),
                web("ok-01", "future1", Instant.parse("2200-01-01T00:00:00Z").toEpochMilli(), "/demo",
                        WebAction.FORM_SUBMIT)), DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("tombstone on an event topic", topics.emailEvents(), "ok-02", null,
                DeadLetterHandler.REASON_INVALID_RECORD, null));
        bad.add(new Send("3 MiB eventId", topics.webEvents(), "ok-04", avro(topics.webEvents(),
                web("ok-04", "e".repeat(HUGE), t, "/pricing", WebAction.PAGE_VIEW)),
                DeadLetterHandler.REASON_INVALID_RECORD, null));
        String hugeLead = "l".repeat(HUGE);
        bad.add(new Send("3 MiB leadId (key and value)", topics.webEvents(), hugeLead, avro(topics.webEvents(),
                web(hugeLead, "hl1", t, "/pricing", WebAction.PAGE_VIEW)), DeadLetterHandler.REASON_INVALID_RECORD,
                null));

        bad.add(new Send("3 MiB company in a profile", topics.profiles(), "ok-08", avro(topics.profiles(),
                LeadProfile.newBuilder().setLeadId("ok-08").setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle("CEO")
                        .setCompany("c".repeat(HUGE)).build()), DeadLetterHandler.REASON_INVALID_RECORD, null));

        // Interleave: a bad record after every valid one, the rest at the end; per lead the valid order is kept.
        List<Send> all = new ArrayList<>();
        for (int i = 0; i < Math.max(valid.size(), bad.size()); i++) {
            if (i < valid.size()) {
                all.add(valid.get(i));
            }
            if (i < bad.size()) {
                all.add(bad.get(i));
            }
        }
        return all;
    }

    private Send valid(Topics topics, ReplayAccess.Kind kind, String lead, org.apache.avro.specific.SpecificRecord v) {
        String topic = switch (kind) {
            case WEB -> topics.webEvents();
            case EMAIL -> topics.emailEvents();
            case DOWNLOAD -> topics.downloadEvents();
            case PROFILE -> topics.profiles();
            case ERASURE -> throw new IllegalArgumentException("this test sends no erasure requests");
        };
        return new Send("valid " + kind, topic, lead, avro(topic, v), null, new ReplayAccess.Input(kind, lead, v));
    }

    private static WebEvent web(String lead, String id, long t, String path, WebAction action) {
        return WebEvent.newBuilder().setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t))
                .setUrl("https://www.example.com" + path).setAction(action).build();
    }

    /** The event written with another WebEvent schema (registered under a subject of its own). */
    private byte[] generic(String schemaJson, WebEvent e, String action) {
        Schema schema = new Schema.Parser().parse(schemaJson);
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            if (WebEvent.getClassSchema().getField(f.name()) != null && !f.name().equals("action")) {
                Object v = e.get(f.name());
                record.put(f.name(), v instanceof Instant i ? i.toEpochMilli() : v);
            }
        }
        record.put("action", new GenericData.EnumSymbol(schema.getField("action").schema(), action));
        return avroWithSubject("bad-input-" + Integer.toHexString(schemaJson.hashCode()), record);
    }

    private byte[] avro(String topic, Object record) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
            return serializer.serialize(topic, record);
        }
    }

    /** Serialized as if for {@code topic}, so that its schema goes to that topic's subject. */
    private byte[] avroWithSubject(String topic, Object record) {
        return avro(topic, record);
    }

    private Map<String, LeadScore> awaitLatestScores(Topics topics, ScoringPipelineIT.Reference reference) {
        Map<String, LeadScore> expected = new TreeMap<>();
        reference.scores(0).forEach(s -> expected.put(s.getLeadId(), s));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Map<String, LeadScore> latest = new TreeMap<>();
            for (var r : broker.consumeFor(topics.scores(), new StringDeserializer(),
                    serdes().leadScore().deserializer(), QUIET)) {
                latest.put(r.key(), r.value());
            }
            boolean done = latest.keySet().equals(expected.keySet()) && expected.entrySet().stream()
                    .allMatch(e -> latest.get(e.getKey()).getAsOf().equals(e.getValue().getAsOf()));
            if (done || System.nanoTime() > deadline) {
                return latest;
            }
        }
    }

    private ScoringSerdes serdes;

    private ScoringSerdes serdes() {
        if (serdes == null) {
            serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
        }
        return serdes;
    }

    /** Every series of a metric from Prometheus text, by the value of one label ("" without labels). */
    static Map<String, Double> series(String prometheusText, String metric, String label) {
        Map<String, Double> series = new TreeMap<>();
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(prometheusText);
        while (m.find()) {
            String key = "";
            if (label != null && m.group(2) != null) {
                Matcher l = Pattern.compile(Pattern.quote(label) + "=\"([^\"]*)\"").matcher(m.group(2));
                key = l.find() ? l.group(1) : "";
            }
            series.merge(key, Double.parseDouble(m.group(3)), Double::sum);
        }
        return series;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private Topics uniqueTopics() {
        return new Topics(broker.uniqueTopic("bad-web"), broker.uniqueTopic("bad-email"),
                broker.uniqueTopic("bad-download"), broker.uniqueTopic("bad-profiles"),
                broker.uniqueTopic("bad-scores"), broker.uniqueTopic("bad-stage-changes"),
                broker.uniqueTopic("bad-sql-handoffs"), broker.uniqueTopic("bad-dead-letter"),
                broker.uniqueTopic("bad-erasures"));
    }

    private Map<String, Object> config(Topics topics, Path rulesFile) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, broker.uniqueGroupId("scoring-bad-input"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("schema.registry.url", "mock://" + scope);
        config.put("rules.file", rulesFile.toString());
        AppTestSupport.putTopics(config, topics);
        config.put("topics.partitions", Integer.toString(PARTITIONS));
        config.put("topics.replication.factor", "1");
        config.put("http.port", "0");
        return config;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<String> reasons(List<Reason> reasons) {
        return reasons.stream().map(r -> r.getRule() + "=" + r.getPoints()).toList();
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
