package io.leadscoring.connect;

/** The CRM a connector instance writes to ({@code crm.target}). */
public enum CrmTarget {
    /** POST a signed JSON document per handoff to any HTTPS endpoint. */
    WEBHOOK,
    /** HubSpot CRM v3: upsert contacts by e-mail (not implemented yet). */
    HUBSPOT,
    /** Salesforce REST: upsert Lead by an external-id field (not implemented yet). */
    SALESFORCE
}
