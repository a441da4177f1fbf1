package io.leadscoring.demo;

/** Who a simulated lead is: the fields of its {@code LeadProfile}, as a CRM or enrichment service knows them. */
record Person(
        String firstName,
        String lastName,
        String email,
        String jobTitle,
        String seniority,
        String department,
        String company,
        Integer companySize,
        String industry,
        String country,
        Long annualRevenue,
        String budget,
        String authority,
        String need,
        String timeline) {

    String fullName() {
        return firstName + " " + lastName;
    }
}
