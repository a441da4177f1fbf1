package io.leadscoring.demo;

import static io.leadscoring.demo.SampleData.BLOG_POSTS;
import static io.leadscoring.demo.SampleData.CUSTOMER_STORIES;
import static io.leadscoring.demo.SampleData.NEUTRAL_PAGES;
import static io.leadscoring.demo.SampleData.between;
import static io.leadscoring.demo.SampleData.pick;
import static io.leadscoring.demo.Step.form;
import static io.leadscoring.demo.Step.view;

import io.leadscoring.demo.Script.ScriptStep;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The simulated kinds of lead, with their share of new leads and what they do. Each script is written against
 * {@code samples/rules.yaml} (thresholds MQL 50, SQL 100, fit capped at 50); the points in the comments are that
 * file's. Events are stamped with the wall clock, so decay (half-lives of days) is negligible within a demo.
 */
enum Persona {

    /**
     * Qualifies on purpose. Fit 50 (a decision-maker title: 25 + 10 + 15 + 10 + 10 = 70, capped) or 45 (a manager
     * with authority, 10 + 15 + 10 + 10). Research (blog 10, customer story 10, case study download 0, nurture open 5)
     * and pricing (20) bring at most 95; the demo request (50) or contact-sales form (40) makes the SQL.
     */
    BUYER("researching buyer", 20) {
        @Override
        Person person(Random random) {
            String first = pick(random, SampleData.FIRST_NAMES);
            String last = pick(random, SampleData.LAST_NAMES);
            String company = pick(random, SampleData.TARGET_COMPANIES);
            boolean executiveTitle = random.nextInt(10) < 6;
            String title = pick(random, executiveTitle ? SampleData.DECISION_MAKER_TITLES
                    : SampleData.BUYER_MANAGER_TITLES);
            return new Person(first, last, SampleData.workEmail(first, last, company), title,
                    executiveTitle ? "DIRECTOR" : "MANAGER", "Operations", company, between(random, 60, 4500),
                    pick(random, SampleData.TARGET_INDUSTRIES), pick(random, SampleData.COUNTRIES),
                    (long) between(random, 5, 400) * 1_000_000L, "CONFIRMED", "DECISION_MAKER",
                    "replace spreadsheets", random.nextBoolean() ? "WITHIN_3_MONTHS" : "WITHIN_6_MONTHS");
        }

        @Override
        Script script(Random random, Person person) {
            List<Step> research = new ArrayList<>(List.of(
                    view(pick(random, BLOG_POSTS)),
                    view(pick(random, CUSTOMER_STORIES)),
                    new Step.Download(AssetType.CASE_STUDY, "cs-" + between(random, 1, 9), "Customer story"),
                    new Step.Email(EmailEventType.OPENED, "nurture", "nurture-series", null)));
            Collections.shuffle(research, random);
            List<Step> steps = new ArrayList<>();
            steps.add(new Step.Profile(person));
            steps.addAll(research);
            steps.add(view("/pricing"));
            steps.add(random.nextInt(10) < 7 ? form("/demo") : form("/contact"));
            // After the handoff the buyer keeps reading: the lead stays an SQL, nothing is handed over twice.
            steps.add(view("/docs/getting-started"));
            steps.add(new Step.Email(EmailEventType.CLICKED, "product", "onboarding", SampleData.SITE + "/docs"));
            return steady(steps);
        }
    },

    /** Reads the blog and browses, never qualifies: fit 0, blog-read capped at 30 a day, other pages score 0. */
    TIRE_KICKER("tire-kicker", 25) {
        @Override
        Person person(Random random) {
            return smallBusinessPerson(random, random.nextInt(10) < 3);
        }

        @Override
        Script script(Random random, Person person) {
            List<Step> browsing = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                browsing.add(view(pick(random, BLOG_POSTS)));
            }
            for (int i = 0; i < 3; i++) {
                browsing.add(view(pick(random, NEUTRAL_PAGES)));
            }
            browsing.add(new Step.Download(AssetType.DATASHEET, "ds-platform", "Platform datasheet"));
            Collections.shuffle(browsing, random);
            List<Step> steps = new ArrayList<>();
            steps.add(new Step.Profile(person));
            steps.addAll(browsing);
            return steady(steps);
        }
    },

    /**
     * Looks like the best buyer of all (pricing 20 twice, price list 25, even a demo request 50), but the competitor
     * rule (-500) on the e-mail domain keeps the score far below zero.
     */
    COMPETITOR("competitor", 10) {
        @Override
        Person person(Random random) {
            String first = pick(random, SampleData.FIRST_NAMES);
            String last = pick(random, SampleData.LAST_NAMES);
            String domain = pick(random, SampleData.COMPETITOR_DOMAINS);
            String company = domain.startsWith("rival") ? "Rival Inc" : "Other Corp";
            return new Person(first, last, SampleData.slug(first) + "." + SampleData.slug(last) + "@" + domain,
                    pick(random, SampleData.COMPETITOR_TITLES), "DIRECTOR", "Product", company, 800, "software",
                    pick(random, SampleData.COUNTRIES), 90_000_000L, "UNKNOWN", "DECISION_MAKER", null, null);
        }

        @Override
        Script script(Random random, Person person) {
            return steady(List.of(
                    new Step.Profile(person),
                    view("/pricing"),
                    view("/features"),
                    view(pick(random, CUSTOMER_STORIES)),
                    new Step.Download(AssetType.PRICE_LIST, "price-list-2026", "Price list"),
                    view("/pricing/enterprise"),
                    form("/demo"),
                    view("/integrations")));
        }
    },

    /** Career pages (-10 each), a free-mail address (-15) and authority USER (-20): well below zero. */
    JOB_SEEKER("job seeker", 10) {
        @Override
        Person person(Random random) {
            String first = pick(random, SampleData.FIRST_NAMES);
            String last = pick(random, SampleData.LAST_NAMES);
            return new Person(first, last, freeMail(random, first, last), pick(random, SampleData.JOB_SEEKER_TITLES),
                    null, null, null, null, null, pick(random, SampleData.COUNTRIES), null, null, "USER", null, "NONE");
        }

        @Override
        Script script(Random random, Person person) {
            return steady(List.of(
                    new Step.Profile(person),
                    view("/careers"),
                    view(pick(random, SampleData.JOB_OPENINGS)),
                    view("/about"),
                    view(pick(random, SampleData.JOB_OPENINGS)),
                    view("/blog/engineering-culture"),
                    form("/careers/apply")));
        }
    },

    /**
     * Signs up (-5) and opens newsletters (5 each, capped at 15 a week); clicks on newsletters do not count (the
     * click rule is for offers, nurture and product mail), one leads to a blog post (10). At most 20: never an MQL.
     */
    NEWSLETTER_READER("newsletter reader", 25) {
        @Override
        Person person(Random random) {
            return smallBusinessPerson(random, false);
        }

        @Override
        Script script(Random random, Person person) {
            String post = pick(random, BLOG_POSTS);
            List<Step> steps = new ArrayList<>();
            steps.add(new Step.Profile(person));
            steps.add(form("/newsletter"));
            for (int issue = 1; issue <= 3; issue++) {
                String campaign = "weekly-digest-" + issue;
                steps.add(new Step.Email(EmailEventType.DELIVERED, "newsletter", campaign, null));
                steps.add(new Step.Email(EmailEventType.OPENED, "newsletter", campaign, null));
                if (issue == 2) {
                    steps.add(new Step.Email(EmailEventType.CLICKED, "newsletter", campaign, SampleData.SITE + post));
                    steps.add(view(post));
                }
            }
            if (random.nextInt(10) < 2) {
                steps.add(new Step.Email(EmailEventType.UNSUBSCRIBED, "newsletter", "weekly-digest-3", null));
            }
            return steady(steps);
        }
    },

    /**
     * Fit 45 (a C-level title 25, authority 10, target industry 10; the company is too big for target-size). A burst
     * of four events within a fraction of a second (pricing 20, blog 10, a customer story 10, an offer opened 5)
     * makes an MQL at 90, then silence: never an SQL, and the score only decays from there.
     */
    EXECUTIVE("executive, burst then silence", 10) {
        @Override
        Person person(Random random) {
            String first = pick(random, SampleData.FIRST_NAMES);
            String last = pick(random, SampleData.LAST_NAMES);
            String company = pick(random, SampleData.TARGET_COMPANIES) + " Group";
            return new Person(first, last, SampleData.workEmail(first, last, company),
                    pick(random, SampleData.EXECUTIVE_TITLES), "C_LEVEL", "Executive", company,
                    between(random, 12_000, 80_000), pick(random, SampleData.TARGET_INDUSTRIES),
                    pick(random, SampleData.COUNTRIES), (long) between(random, 2, 40) * 1_000_000_000L, "UNKNOWN",
                    "DECISION_MAKER", null, null);
        }

        @Override
        Script script(Random random, Person person) {
            List<ScriptStep> steps = new ArrayList<>();
            steps.add(new ScriptStep(new Step.Profile(person), false));
            steps.add(new ScriptStep(view("/pricing"), false));
            steps.add(new ScriptStep(view(pick(random, BLOG_POSTS)), true));
            steps.add(new ScriptStep(view(pick(random, CUSTOMER_STORIES)), true));
            steps.add(new ScriptStep(new Step.Email(EmailEventType.OPENED, "offer", "q4-offer", null), true));
            return new Script(steps, true);
        }
    };

    private final String label;
    private final int weight;

    Persona(String label, int weight) {
        this.label = label;
        this.weight = weight;
    }

    String label() {
        return label;
    }

    /** Share of new leads, in percent (the weights add up to 100). */
    int weight() {
        return weight;
    }

    abstract Person person(Random random);

    /** The lead's records, its profile first. */
    abstract Script script(Random random, Person person);

    /** A persona drawn by weight. */
    static Persona draw(Random random) {
        int ticket = random.nextInt(totalWeight());
        for (Persona persona : values()) {
            ticket -= persona.weight;
            if (ticket < 0) {
                return persona;
            }
        }
        throw new IllegalStateException("weights");
    }

    static int totalWeight() {
        int total = 0;
        for (Persona persona : values()) {
            total += persona.weight;
        }
        return total;
    }

    private static Script steady(List<Step> steps) {
        return new Script(steps.stream().map(step -> new ScriptStep(step, false)).toList(), false);
    }

    private static String freeMail(Random random, String first, String last) {
        return SampleData.slug(first) + "." + SampleData.slug(last) + "@" + pick(random, SampleData.FREE_MAIL_DOMAINS);
    }

    /** Fit 0 under the sample rules (or -15 with a free-mail address): small company, no authority, no timeline. */
    private static Person smallBusinessPerson(Random random, boolean freeMail) {
        String first = pick(random, SampleData.FIRST_NAMES);
        String last = pick(random, SampleData.LAST_NAMES);
        String company = pick(random, SampleData.SMALL_COMPANIES);
        String email = freeMail ? freeMail(random, first, last) : SampleData.workEmail(first, last, company);
        return new Person(first, last, email, pick(random, SampleData.INDIVIDUAL_TITLES), "INDIVIDUAL", "Marketing",
                company, between(random, 2, 40), pick(random, SampleData.OTHER_INDUSTRIES),
                pick(random, SampleData.COUNTRIES), (long) between(random, 1, 20) * 100_000L, "UNKNOWN", "INFLUENCER",
                null, "NONE");
    }
}
