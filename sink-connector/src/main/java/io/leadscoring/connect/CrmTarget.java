package io.leadscoring.connect;

/** The CRM a connector instance writes to ({@code crm.target}). */
public enum CrmTarget {
    /** POST a signed JSON document per handoff to any HTTPS endpoint. */
    WEBHOOK,
    /** HubSpot CRM v3: upsert contacts by e-mail in batches. */
    HUBSPOT,
    /** Salesforce REST: upsert the Lead by an external-id field, OAuth 2.0 client credentials. */
    SALESFORCE
}
