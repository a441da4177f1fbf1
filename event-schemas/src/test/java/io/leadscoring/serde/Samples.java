package io.leadscoring.serde;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.leadscoring.events.Activity;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.FitGrade;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.Temperature;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;

/** One filled-in instance of every generated record type. */
final class Samples {

    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    private Samples() {
    }

    static WebEvent webEvent() {
        return WebEvent.newBuilder()
                .setEventId("evt-1").setLeadId("lead-42").setOccurredAt(T0)
                .setUrl("https://example.com/pricing").setAction(WebAction.FORM_SUBMIT)
                .setReferrer("https://google.com").setSessionId("s-1").setPageTitle("Pricing")
                .setUserAgent("Mozilla/5.0").setUtmSource("newsletter").setUtmMedium("email")
                .setUtmCampaign("spring").setUtmTerm(null).setUtmContent("cta")
                .build();
    }

    static EmailEvent emailEvent() {
        return EmailEvent.newBuilder()
                .setEventId("evt-2").setLeadId("lead-42").setOccurredAt(T0.plusSeconds(5))
                .setType(EmailEventType.CLICKED).setCampaignId("c-9").setEmailKind("offer")
                .setUrl("https://example.com/offer").setMessageId("m-1").setSubject("20% off")
                .setUserAgent(null)
                .build();
    }

    static DownloadEvent downloadEvent() {
        return DownloadEvent.newBuilder()
                .setEventId("evt-3").setLeadId("lead-42").setOccurredAt(T0.plusSeconds(60))
                .setAssetId("wp-7").setAssetType(AssetType.WHITEPAPER).setTitle("Kafka at scale")
                .setUrl(null).setSessionId("s-1").setUserAgent(null).setUtmSource("linkedin")
                .setUtmMedium(null).setUtmCampaign(null).setUtmTerm(null).setUtmContent(null)
                .build();
    }

    static LeadProfile leadProfile() {
        return LeadProfile.newBuilder()
                .setLeadId("lead-42").setUpdatedAt(T0).setEmail("ada@example.com").setFirstName("Ada")
                .setLastName("Lovelace").setJobTitle("CTO").setSeniority("C-level").setDepartment("Engineering")
                .setCompany("Analytical Engines").setCompanySize(250).setIndustry("Software").setCountry("GB")
                .setAnnualRevenue(12_000_000L).setBudget("yes").setAuthority("decision maker").setNeed("high")
                .setTimeline("Q3").setAttributes(Map.of("crm.tier", "gold", "crm.owner", "bob"))
                .build();
    }

    static List<Reason> reasons() {
        return List.of(new Reason("pricing page", 25.0), new Reason("unsubscribed", -10.5));
    }

    static LeadScore leadScore() {
        return LeadScore.newBuilder()
                .setLeadId("lead-42").setScore(87.5).setEngagement(47.5).setFit(40.0).setFitGrade(FitGrade.A)
                .setTemperature(Temperature.HOT).setActivity(Activity.ACTIVE).setStage(Stage.MQL)
                .setRuleSet("default@3").setReasons(reasons()).setAsOf(T0.plusSeconds(60))
                .build();
    }

    static StageChange stageChange() {
        return StageChange.newBuilder()
                .setHandoffId("h-1").setLeadId("lead-42").setStage(Stage.SQL).setPreviousStage(Stage.MQL)
                .setAt(T0.plusSeconds(120)).setScore(101.0).setEngagement(61.0).setFit(40.0)
                .setFitGrade(FitGrade.A).setTemperature(Temperature.HOT).setActivity(Activity.ACTIVE)
                .setRuleSet("default@3").setReasons(reasons()).setEmail("ada@example.com").setFirstName("Ada")
                .setLastName(null).setCompany("Analytical Engines")
                .build();
    }

    static Map<String, Object> config(String scope, Object... keyValues) {
        java.util.HashMap<String, Object> config = new java.util.HashMap<>();
        config.put(AbstractKafkaSchemaSerDeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    static byte[] unhex(String hex) {
        String clean = hex.replaceAll("\\s", "");
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
