package io.leadscoring.streams;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.Fields;
import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.ScoringEvent;
import io.leadscoring.scoring.Source;

/** Read-only views of the Avro records with the field names rules use (SCORING.md, Inputs). */
final class AvroViews {

    private AvroViews() {
    }

    static ScoringEvent of(WebEvent e) {
        return new WebView(e);
    }

    static ScoringEvent of(EmailEvent e) {
        return new EmailView(e);
    }

    static ScoringEvent of(DownloadEvent e) {
        return new DownloadView(e);
    }

    static ProfileView of(LeadProfile p) {
        return p == null ? null : new ProfileAdapter(p);
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static final class WebView implements ScoringEvent {
        private final WebEvent e;
        private String path;
        private String host;
        private boolean derived;

        WebView(WebEvent e) {
            this.e = e;
        }

        @Override public Source source() { return Source.WEB; }
        @Override public String leadId() { return e.getLeadId(); }
        @Override public String eventId() { return e.getEventId(); }
        @Override public long occurredAt() { return e.getOccurredAt().toEpochMilli(); }

        @Override
        public Object get(String field) {
            return switch (field) {
                case "eventId" -> e.getEventId();
                case "leadId" -> e.getLeadId();
                case "occurredAt" -> occurredAt();
                case "url" -> e.getUrl();
                case "path" -> derive().path;
                case "host" -> derive().host;
                case "action" -> name(e.getAction());
                case "referrer" -> e.getReferrer();
                case "sessionId" -> e.getSessionId();
                default -> null;
            };
        }

        // Only rules that read path or host pay for parsing the URL, once per event.
        private WebView derive() {
            if (!derived) {
                java.net.URI uri = Fields.parse(e.getUrl());
                path = Fields.pathOf(uri);
                host = Fields.hostOf(uri);
                derived = true;
            }
            return this;
        }
    }

    private record EmailView(EmailEvent e) implements ScoringEvent {
        @Override public Source source() { return Source.EMAIL; }
        @Override public String leadId() { return e.getLeadId(); }
        @Override public String eventId() { return e.getEventId(); }
        @Override public long occurredAt() { return e.getOccurredAt().toEpochMilli(); }

        @Override
        public Object get(String field) {
            return switch (field) {
                case "eventId" -> e.getEventId();
                case "leadId" -> e.getLeadId();
                case "occurredAt" -> occurredAt();
                case "type" -> name(e.getType());
                case "campaignId" -> e.getCampaignId();
                case "emailKind" -> e.getEmailKind();
                case "url" -> e.getUrl();
                default -> null;
            };
        }
    }

    private record DownloadView(DownloadEvent e) implements ScoringEvent {
        @Override public Source source() { return Source.DOWNLOAD; }
        @Override public String leadId() { return e.getLeadId(); }
        @Override public String eventId() { return e.getEventId(); }
        @Override public long occurredAt() { return e.getOccurredAt().toEpochMilli(); }

        @Override
        public Object get(String field) {
            return switch (field) {
                case "eventId" -> e.getEventId();
                case "leadId" -> e.getLeadId();
                case "occurredAt" -> occurredAt();
                case "assetId" -> e.getAssetId();
                case "assetType" -> name(e.getAssetType());
                case "title" -> e.getTitle();
                case "url" -> e.getUrl();
                default -> null;
            };
        }
    }

    private record ProfileAdapter(LeadProfile p) implements ProfileView {
        @Override public String leadId() { return p.getLeadId(); }
        @Override public long updatedAt() { return p.getUpdatedAt().toEpochMilli(); }
        @Override public String email() { return p.getEmail(); }
        @Override public String firstName() { return p.getFirstName(); }
        @Override public String lastName() { return p.getLastName(); }
        @Override public String company() { return p.getCompany(); }

        @Override
        public Object get(String field) {
            if (field.startsWith("attributes.")) {
                return p.getAttributes() == null ? null : p.getAttributes().get(field.substring("attributes.".length()));
            }
            return switch (field) {
                case "leadId" -> p.getLeadId();
                case "updatedAt" -> updatedAt();
                case "email" -> p.getEmail();
                case "emailDomain" -> Fields.emailDomain(p.getEmail());
                case "jobTitle" -> p.getJobTitle();
                case "seniority" -> p.getSeniority();
                case "department" -> p.getDepartment();
                case "company" -> p.getCompany();
                case "companySize" -> p.getCompanySize();
                case "industry" -> p.getIndustry();
                case "country" -> p.getCountry();
                case "annualRevenue" -> p.getAnnualRevenue();
                case "budget" -> p.getBudget();
                case "authority" -> p.getAuthority();
                case "need" -> p.getNeed();
                case "timeline" -> p.getTimeline();
                default -> null;
            };
        }
    }
}
