package io.leadscoring.demo;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Names, companies and pages the simulated leads are made of. Domains are under {@code .example} (RFC 2606). */
final class SampleData {

    static final String SITE = "https://www.example.com";

    static final List<String> FIRST_NAMES = List.of("Ana", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Gustav",
            "Hana", "Ivan", "Jonas", "Keiko", "Lars", "Maya", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven",
            "Tomas", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe");
    static final List<String> LAST_NAMES = List.of("Kowalska", "Berg", "Dubois", "Ivanov", "Yilmaz", "Haddad",
            "Lindqvist", "Sato", "Petrov", "Holm", "Tanaka", "Nielsen", "Cohen", "Rahman", "Farouk", "Sharma", "Walsh",
            "Moreno", "Eriksson", "Novak", "Iyer", "Laurent", "Zhang", "Castillo", "Demir", "Fischer");
    static final List<String> COUNTRIES = List.of("PL", "DE", "FR", "NL", "SE", "GB", "US", "ES", "IT", "JP");

    /** Companies in the sample rules' target industries. */
    static final List<String> TARGET_COMPANIES = List.of("Acme Logistics", "Northwind Traders", "Globex Software",
            "Initech", "Stark Freight", "Wayne Fintech", "Hooli", "Tyrell Systems", "Cyberdyne Robotics",
            "Vandelay Industries", "Pied Piper", "Massive Dynamic");
    static final List<String> TARGET_INDUSTRIES = List.of("software", "saas", "fintech", "manufacturing",
            "e-commerce");
    /** Small businesses outside the target industries. */
    static final List<String> SMALL_COMPANIES = List.of("Bakkerij de Vries", "Corner Books", "Blue Door Cafe",
            "Sunrise Yoga", "Harbor Florists", "Old Town Tailors", "Riverside School", "Maple Dental");
    static final List<String> OTHER_INDUSTRIES = List.of("food", "retail", "education", "hospitality", "media",
            "nonprofit");
    static final List<String> COMPETITOR_DOMAINS = List.of("rival.example", "other.example");
    static final List<String> FREE_MAIL_DOMAINS = List.of("gmail.com", "outlook.com", "yahoo.com");

    static final List<String> DECISION_MAKER_TITLES = List.of("Head of Operations", "VP Sales", "CTO",
            "Director of Engineering", "Head of Revenue Operations", "Founder", "VP Marketing");
    static final List<String> BUYER_MANAGER_TITLES = List.of("Operations Manager", "IT Manager",
            "Procurement Lead", "Logistics Manager");
    static final List<String> EXECUTIVE_TITLES = List.of("CEO", "CFO", "COO", "CMO");
    static final List<String> INDIVIDUAL_TITLES = List.of("Marketing Coordinator", "Analyst", "Consultant",
            "Office Manager", "Content Writer");
    static final List<String> JOB_SEEKER_TITLES = List.of("Backend Developer", "Data Engineer", "UX Designer",
            "Graduate Student");
    static final List<String> COMPETITOR_TITLES = List.of("VP Product", "Product Marketing Manager",
            "Competitive Intelligence Analyst");

    static final List<String> BLOG_POSTS = List.of("/blog/route-optimisation-101", "/blog/real-time-scoring",
            "/blog/lead-decay-explained", "/blog/kafka-for-marketing-ops", "/blog/mql-vs-sql",
            "/blog/fit-versus-engagement");
    static final List<String> CUSTOMER_STORIES = List.of("/customers/acme-logistics", "/customers/globex",
            "/customers/northwind", "/customers/initech");
    static final List<String> NEUTRAL_PAGES = List.of("/", "/features", "/about", "/integrations", "/security");
    static final List<String> JOB_OPENINGS = List.of("/careers/backend-engineer", "/careers/data-engineer",
            "/careers/product-designer", "/careers/solutions-engineer");

    private SampleData() {
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static int between(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    /** {@code ana.kowalska@acme-logistics.example}. */
    static String workEmail(String first, String last, String company) {
        return slug(first) + "." + slug(last) + "@" + slug(company) + ".example";
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
