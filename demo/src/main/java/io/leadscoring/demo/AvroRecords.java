package io.leadscoring.demo;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.WebEvent;
import io.leadscoring.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;

/** Simulated events as the Avro records that tracking pixels, the email service and the CRM publish. */
final class AvroRecords {

    private AvroRecords() {
    }

    static String topic(Topics topics, Step step) {
        if (step instanceof Step.Profile) {
            return topics.profiles();
        } else if (step instanceof Step.Email) {
            return topics.emailEvents();
        } else if (step instanceof Step.Download) {
            return topics.downloadEvents();
        }
        return topics.webEvents(); // web events, and the garbage a broken pixel sends
    }

    /** The record's value: a generated Avro class, or raw bytes for {@link Step.Garbage}. */
    static Object value(SimEvent event, Instant at) {
        String lead = event.leadId();
        Step step = event.step();
        if (step instanceof Step.Profile profile) {
            return profile(lead, profile.person(), at);
        } else if (step instanceof Step.Web web) {
            return WebEvent.newBuilder().setEventId(event.eventId()).setLeadId(lead).setOccurredAt(at)
                    .setUrl(SampleData.SITE + web.path()).setAction(web.action())
                    .setSessionId("s-" + lead).build();
        } else if (step instanceof Step.Email email) {
            return EmailEvent.newBuilder().setEventId(event.eventId()).setLeadId(lead).setOccurredAt(at)
                    .setType(email.type()).setEmailKind(email.emailKind()).setCampaignId(email.campaignId())
                    .setUrl(email.url()).build();
        } else if (step instanceof Step.Download download) {
            return DownloadEvent.newBuilder().setEventId(event.eventId()).setLeadId(lead).setOccurredAt(at)
                    .setAssetId(download.assetId()).setAssetType(download.assetType()).setTitle(download.title())
                    .setUrl(SampleData.SITE + "/assets/" + download.assetId()).build();
        }
        // JSON where Avro is expected: no magic byte, so the pipeline dead-letters it.
        return ("{\"leadId\":\"" + lead + "\",\"url\":\"/pricing\"}").getBytes(StandardCharsets.UTF_8);
    }

    static LeadProfile profile(String leadId, Person p, Instant at) {
        return LeadProfile.newBuilder().setLeadId(leadId).setUpdatedAt(at).setEmail(p.email())
                .setFirstName(p.firstName()).setLastName(p.lastName()).setJobTitle(p.jobTitle())
                .setSeniority(p.seniority()).setDepartment(p.department()).setCompany(p.company())
                .setCompanySize(p.companySize()).setIndustry(p.industry()).setCountry(p.country())
                .setAnnualRevenue(p.annualRevenue()).setBudget(p.budget()).setAuthority(p.authority())
                .setNeed(p.need()).setTimeline(p.timeline()).setAttributes(new LinkedHashMap<>()).build();
    }
}
