package io.leadscoring.scoring;

/** The lead's profile as fit rules see it. */
public interface ProfileView {
    String leadId();

    /** Event time of this profile version, epoch milliseconds. */
    long updatedAt();

    /**
     * "email", "emailDomain", "jobTitle", "seniority", "department", "company", "companySize" (Integer), "industry",
     * "country", "annualRevenue" (Long), "budget", "authority", "need", "timeline", "attributes.NAME"; null when absent.
     */
    Object get(String field);

    String email();

    String firstName();

    String lastName();

    String company();
}
