package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.FitRule;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every matcher kind of SCORING.md's table, through rules compiled from YAML. */
class MatcherTest {

    enum WebAction { PAGE_VIEW, FORM_SUBMIT }

    static BehaviorRule behavior(String when) {
        return rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\nbehavior:\n  - name: r\n    when: " + when
                + "\n    points: 1\n").behaviorRule("r");
    }

    static FitRule fit(String when) {
        return rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\nfit:\n  rules:\n    - name: f\n      when: "
                + when + "\n      points: 1\n").fitRules().get(0);
    }

    static MapScoringEvent page(String url) {
        return MapScoringEvent.web("l", "e", 0, url, "PAGE_VIEW");
    }

    static MapScoringEvent.Builder webWith() {
        return MapScoringEvent.builder(Source.WEB, "l", "e", 0);
    }

    static MapProfileView.Builder profile() {
        return MapProfileView.builder("l", 0);
    }

    @Nested
    class Scalars {
        @Test
        void textComparesCaseInsensitivelyAndWhole() {
            BehaviorRule r = behavior("{ source: web, path: /Pricing }");
            assertThat(r.matches(page("https://x.example/pricing"))).isTrue();
            assertThat(r.matches(page("https://x.example/PRICING"))).isTrue();
            assertThat(r.matches(page("https://x.example/pricing/"))).isFalse();
            assertThat(r.matches(page("https://x.example/pricing-old"))).isFalse();
        }

        @Test
        void enumFieldsCompareBySymbolWhateverTheCase() {
            BehaviorRule r = behavior("{ source: web, action: form_submit }");
            assertThat(r.matches(webWith().set("action", "FORM_SUBMIT").build())).isTrue();
            assertThat(r.matches(webWith().set("action", WebAction.FORM_SUBMIT).build())).isTrue();
            assertThat(r.matches(webWith().set("action", WebAction.PAGE_VIEW).build())).isFalse();
        }

        @Test
        void anyCharSequenceIsText() {
            BehaviorRule r = behavior("{ source: web, referrer: Google.com }");
            assertThat(r.matches(webWith().set("referrer", new StringBuilder("google.COM")).build())).isTrue();
            assertThat(r.matches(webWith().set("referrer", new StringBuilder("google.co")).build())).isFalse();
        }

        @Test
        void numbersCompareNumerically() {
            FitRule r = fit("{ companySize: 50 }");
            assertThat(r.matches(profile().set("companySize", 50).build())).isTrue();
            assertThat(r.matches(profile().set("companySize", 51).build())).isFalse();
            assertThat(fit("{ companySize: 50.0 }").matches(profile().set("companySize", 50).build())).isTrue();
            assertThat(fit("{ annualRevenue: 1_000_000 }").matches(profile().set("annualRevenue", 1_000_000L).build()))
                    .isTrue();
            assertThat(fit("{ annualRevenue: 9007199254740993 }")
                    .matches(profile().set("annualRevenue", 9007199254740992L).build())).isFalse();
            // a quoted number still equals a numeric field
            assertThat(fit("{ companySize: \"50\" }").matches(profile().set("companySize", 50).build())).isTrue();
            assertThat(fit("{ companySize: fifty }").matches(profile().set("companySize", 50).build())).isFalse();
        }

        @Test
        void aNumberScalarEqualsANumericString() {
            FitRule r = fit("{ attributes.employees: 50 }");
            assertThat(r.matches(profile().attribute("employees", "50").build())).isTrue();
            assertThat(r.matches(profile().attribute("employees", "50.0").build())).isTrue();
            assertThat(r.matches(profile().attribute("employees", " 50 ").build())).isTrue();
            assertThat(r.matches(profile().attribute("employees", "5e1").build())).isTrue();
            assertThat(r.matches(profile().attribute("employees", "51").build())).isFalse();
            assertThat(r.matches(profile().attribute("employees", "fifty").build())).isFalse();
        }

        @Test
        void aQuotedScalarComparesAsText() {
            FitRule r = fit("{ attributes.code: \"007\" }");
            assertThat(r.matches(profile().attribute("code", "007").build())).isTrue();
            assertThat(r.matches(profile().attribute("code", "7").build())).isFalse();
        }

        @Test
        void yamlBooleanWordsStayText() {
            // YAML 1.1 would read NO as false: a country code must keep its text
            FitRule norway = fit("{ country: NO }");
            assertThat(norway.matches(profile().set("country", "no").build())).isTrue();
            assertThat(norway.matches(profile().set("country", "false").build())).isFalse();
            assertThat(fit("{ budget: yes }").matches(profile().set("budget", "YES").build())).isTrue();
        }
    }

    @Nested
    class Lists {
        @Test
        void equalsAnyElement() {
            BehaviorRule r = behavior("{ source: download, assetType: [EBOOK, whitepaper] }");
            assertThat(r.matches(MapScoringEvent.download("l", "e", 0, "EBOOK"))).isTrue();
            assertThat(r.matches(MapScoringEvent.download("l", "e", 0, "WHITEPAPER"))).isTrue();
            assertThat(r.matches(MapScoringEvent.download("l", "e", 0, "WEBINAR"))).isFalse();
            assertThat(r.matches(MapScoringEvent.builder(Source.DOWNLOAD, "l", "e", 0).build())).isFalse();
        }

        @Test
        void numericElements() {
            FitRule r = fit("{ companySize: [10, 20] }");
            assertThat(r.matches(profile().set("companySize", 20).build())).isTrue();
            assertThat(r.matches(profile().set("companySize", 15).build())).isFalse();
        }

        @Test
        void domainsAsInTheExample() {
            FitRule r = fit("{ emailDomain: [rival.example, other.example] }");
            assertThat(r.matches(profile().set("email", "spy@RIVAL.example").build())).isTrue();
            assertThat(r.matches(profile().set("email", "jane@acme.example").build())).isFalse();
        }
    }

    @Nested
    class Globs {
        @Test
        void singleStarStopsAtSlash() {
            BehaviorRule r = behavior("{ source: web, path: { glob: \"/blog/*\" } }");
            assertThat(r.matches(page("https://x.example/blog/post"))).isTrue();
            assertThat(r.matches(page("https://x.example/blog/"))).isTrue();
            assertThat(r.matches(page("https://x.example/blog/2024/post"))).isFalse();
            assertThat(r.matches(page("https://x.example/blog"))).isFalse();
        }

        @Test
        void doubleStarCrossesSlashes() {
            BehaviorRule r = behavior("{ source: web, path: { glob: \"/blog/**\" } }");
            assertThat(r.matches(page("https://x.example/blog/2024/05/post"))).isTrue();
            assertThat(r.matches(page("https://x.example/blog/"))).isTrue();
            assertThat(r.matches(page("https://x.example/blog"))).isFalse();
            assertThat(r.matches(page("https://x.example/news/blog/x"))).isFalse();
            assertThat(behavior("{ source: web, path: { glob: \"**/pricing\" } }")
                    .matches(page("https://x.example/en/eu/pricing"))).isTrue();
        }

        @Test
        void questionMarkIsExactlyOneCharacter() {
            BehaviorRule r = behavior("{ source: web, path: { glob: \"/p?ge\" } }");
            assertThat(r.matches(page("https://x.example/page"))).isTrue();
            assertThat(r.matches(page("https://x.example/pXge"))).isTrue();
            assertThat(r.matches(page("https://x.example/pge"))).isFalse();
            assertThat(r.matches(page("https://x.example/paage"))).isFalse();
        }

        @Test
        void caseInsensitiveWholeFieldAndOtherCharactersLiteral() {
            assertThat(behavior("{ source: web, path: { glob: \"/BLOG/**\" } }").matches(page("https://x.example/blog/a")))
                    .isTrue();
            BehaviorRule dots = behavior("{ source: web, path: { glob: \"/a.b/*\" } }");
            assertThat(dots.matches(page("https://x.example/a.b/c"))).isTrue();
            assertThat(dots.matches(page("https://x.example/aXb/c"))).isFalse();
            BehaviorRule host = behavior("{ source: web, host: { glob: \"*.example.com\" } }");
            assertThat(host.matches(page("https://www.Example.com/"))).isTrue();
            assertThat(host.matches(page("https://example.com/"))).isFalse();
            assertThat(host.matches(page("https://www.example.com.evil.test/"))).isFalse();
        }

        @Test
        void globOnAnEnumAndOnANumber() {
            assertThat(behavior("{ source: email, type: { glob: \"UNSUB*\" } }")
                    .matches(MapScoringEvent.email("l", "e", 0, "UNSUBSCRIBED"))).isTrue();
            assertThat(fit("{ companySize: { glob: \"5?\" } }").matches(profile().set("companySize", 50).build())).isTrue();
        }
    }

    @Nested
    class Regexes {
        @Test
        void foundAnywhereAsWritten() {
            FitRule r = fit("{ jobTitle: { regex: \"CEO|CTO\" } }");
            assertThat(r.matches(profile().set("jobTitle", "Acting CEO, EMEA").build())).isTrue();
            assertThat(r.matches(profile().set("jobTitle", "acting ceo").build())).isFalse();
            assertThat(fit("{ jobTitle: { regex: \"(?i)ceo\" } }").matches(profile().set("jobTitle", "acting ceo").build()))
                    .isTrue();
            FitRule anchored = fit("{ jobTitle: { regex: \"^VP\\\\b\" } }");
            assertThat(anchored.matches(profile().set("jobTitle", "VP Sales").build())).isTrue();
            assertThat(anchored.matches(profile().set("jobTitle", "SVP Sales").build())).isFalse();
        }

        @Test
        void theExampleDecisionMakerRegex() {
            FitRule r = TestSupport.exampleRules().fitRules().get(0);
            assertThat(r.matches(profile().set("jobTitle", "Head of Marketing").build())).isTrue();
            assertThat(r.matches(profile().set("jobTitle", "Marketing Director").build())).isTrue();
            assertThat(r.matches(profile().set("jobTitle", "vp engineering").build())).isTrue();
            assertThat(r.matches(profile().set("jobTitle", "Headhunter").build())).isFalse();
            assertThat(r.matches(profile().set("jobTitle", "Intern").build())).isFalse();
        }

        @Test
        void regexOnANumberReadsItsDigits() {
            assertThat(fit("{ companySize: { regex: \"^5\" } }").matches(profile().set("companySize", 500).build())).isTrue();
        }
    }

    @Nested
    class Ranges {
        @Test
        void bothBoundsInclusive() {
            FitRule r = fit("{ companySize: { min: 50, max: 5000 } }");
            assertThat(r.matches(profile().set("companySize", 50).build())).isTrue();
            assertThat(r.matches(profile().set("companySize", 5000).build())).isTrue();
            assertThat(r.matches(profile().set("companySize", 49).build())).isFalse();
            assertThat(r.matches(profile().set("companySize", 5001).build())).isFalse();
        }

        @Test
        void minOnlyAndMaxOnly() {
            FitRule min = fit("{ annualRevenue: { min: 1000000 } }");
            assertThat(min.matches(profile().set("annualRevenue", 1_000_000L).build())).isTrue();
            assertThat(min.matches(profile().set("annualRevenue", 999_999L).build())).isFalse();
            assertThat(min.matches(profile().set("annualRevenue", Long.MAX_VALUE).build())).isTrue();
            FitRule max = fit("{ companySize: { max: 10 } }");
            assertThat(max.matches(profile().set("companySize", -3).build())).isTrue();
            assertThat(max.matches(profile().set("companySize", 10).build())).isTrue();
            assertThat(max.matches(profile().set("companySize", 11).build())).isFalse();
        }

        @Test
        void decimalBoundsAndNumericTextAttributes() {
            FitRule r = fit("{ attributes.nps: { min: 7.5, max: 10 } }");
            assertThat(r.matches(profile().attribute("nps", "7.5").build())).isTrue();
            assertThat(r.matches(profile().attribute("nps", "9").build())).isTrue();
            assertThat(r.matches(profile().attribute("nps", "7.49").build())).isFalse();
            assertThat(r.matches(profile().attribute("nps", "high").build())).isFalse();
            assertThat(r.matches(profile().attribute("nps", "").build())).isFalse();
        }

        @Test
        void nonNumericTextFieldsNeverMatch() {
            assertThat(fit("{ jobTitle: { min: 0 } }").matches(profile().set("jobTitle", "CEO").build())).isFalse();
        }

        @Test
        void eventTimeCanBeRanged() {
            BehaviorRule r = behavior("{ source: web, occurredAt: { min: 1000, max: 2000 } }");
            assertThat(r.matches(MapScoringEvent.web("l", "e", 1000, "https://x/", "CLICK"))).isTrue();
            assertThat(r.matches(MapScoringEvent.web("l", "e", 2001, "https://x/", "CLICK"))).isFalse();
        }
    }

    @Nested
    class Exists {
        @Test
        void existsTrueAndFalse() {
            BehaviorRule present = behavior("{ source: web, referrer: { exists: true } }");
            BehaviorRule absent = behavior("{ source: web, referrer: { exists: false } }");
            MapScoringEvent with = webWith().set("referrer", "https://google.com").build();
            MapScoringEvent empty = webWith().set("referrer", "").build();
            MapScoringEvent without = webWith().build();
            assertThat(present.matches(with)).isTrue();
            assertThat(present.matches(empty)).isTrue();
            assertThat(present.matches(without)).isFalse();
            assertThat(absent.matches(without)).isTrue();
            assertThat(absent.matches(with)).isFalse();
        }

        @Test
        void existsOnAnAttribute() {
            FitRule r = fit("{ attributes.gdprConsent: { exists: false } }");
            assertThat(r.matches(profile().build())).isTrue();
            assertThat(r.matches(profile().attribute("gdprConsent", "yes").build())).isFalse();
        }
    }

    @Nested
    class NullFields {
        @Test
        void aNullFieldMatchesNothingButExistsFalse() {
            MapScoringEvent noReferrer = webWith().set("url", "https://x/").build();
            assertThat(behavior("{ source: web, referrer: google }").matches(noReferrer)).isFalse();
            assertThat(behavior("{ source: web, referrer: [google, bing] }").matches(noReferrer)).isFalse();
            assertThat(behavior("{ source: web, referrer: { glob: \"**\" } }").matches(noReferrer)).isFalse();
            assertThat(behavior("{ source: web, referrer: { regex: \".*\" } }").matches(noReferrer)).isFalse();
            assertThat(behavior("{ source: web, referrer: { min: 0 } }").matches(noReferrer)).isFalse();
            assertThat(behavior("{ source: web, referrer: { exists: false } }").matches(noReferrer)).isTrue();
        }

        @Test
        void anUnparsableUrlHasNoPath() {
            BehaviorRule r = behavior("{ source: web, path: { glob: \"**\" } }");
            assertThat(r.matches(page("http://bad host/x"))).isFalse();
        }

        @Test
        void aFieldTheEventsSourceDoesNotHaveReadsAsNull() {
            // no source: the rule can match every source; path exists only on web events
            BehaviorRule r = behavior("{ path: /x }");
            MapScoringEvent email = MapScoringEvent.builder(Source.EMAIL, "l", "e", 0).set("path", "/x").build();
            assertThat(r.matches(email)).isFalse();
            assertThat(r.matches(page("https://h/x"))).isTrue();
            BehaviorRule missing = behavior("{ path: { exists: false } }");
            assertThat(missing.matches(email)).isTrue();
            assertThat(missing.matches(page("https://h/x"))).isFalse();
        }
    }

    @Nested
    class Combinations {
        @Test
        void everyEntryMustHold() {
            BehaviorRule r = behavior("{ source: web, action: FORM_SUBMIT, path: /demo }");
            assertThat(r.matches(MapScoringEvent.web("l", "e", 0, "https://x/demo", "FORM_SUBMIT"))).isTrue();
            assertThat(r.matches(MapScoringEvent.web("l", "e", 0, "https://x/demo", "PAGE_VIEW"))).isFalse();
            assertThat(r.matches(MapScoringEvent.web("l", "e", 0, "https://x/demos", "FORM_SUBMIT"))).isFalse();
        }

        @Test
        void sourceRestrictsTheRule() {
            BehaviorRule web = behavior("{ source: web }");
            assertThat(web.matches(page("https://x/"))).isTrue();
            assertThat(web.matches(MapScoringEvent.email("l", "e", 0, "OPENED"))).isFalse();
            BehaviorRule two = behavior("{ source: [web, Email] }");
            assertThat(two.sources()).containsExactlyInAnyOrder(Source.WEB, Source.EMAIL);
            assertThat(two.matches(MapScoringEvent.email("l", "e", 0, "OPENED"))).isTrue();
            assertThat(two.matches(MapScoringEvent.download("l", "e", 0, "EBOOK"))).isFalse();
        }

        @Test
        void anEmptyOrMissingWhenMatchesEveryEventOfEverySource() {
            RuleSet rs = rules("name: t\nversion: 1\nthresholds: { mql: 5, sql: 10 }\nbehavior:\n"
                    + "  - { name: any, points: 1 }\n  - { name: empty, when: {}, points: 1 }\n");
            for (Source s : Source.values()) {
                assertThat(rs.behaviorRulesFor(s)).extracting(BehaviorRule::name).containsExactly("any", "empty");
            }
            assertThat(rs.behaviorRule("any").matches(MapScoringEvent.download("l", "e", 0, null))).isTrue();
            assertThat(rs.behaviorRule("empty").matches(MapScoringEvent.email("l", "e", 0, null))).isTrue();
        }

        @Test
        void rulesAreIndexedBySource() {
            RuleSet rs = TestSupport.exampleRules();
            assertThat(rs.behaviorRulesFor(Source.WEB)).extracting(BehaviorRule::name)
                    .containsExactly("blog-read", "pricing-page", "demo-request");
            assertThat(rs.behaviorRulesFor(Source.DOWNLOAD)).extracting(BehaviorRule::name).containsExactly("ebook");
            assertThat(rs.behaviorRulesFor(Source.EMAIL)).extracting(BehaviorRule::name).containsExactly("unsubscribe");
        }

        @Test
        void eventAndLeadIdsAreReadable() {
            BehaviorRule r = behavior("{ source: web, eventId: { glob: \"evt-*\" }, leadId: L-1 }");
            assertThat(r.matches(MapScoringEvent.web("l-1", "evt-9", 0, "https://x/", "CLICK"))).isTrue();
            assertThat(r.matches(MapScoringEvent.web("l-2", "evt-9", 0, "https://x/", "CLICK"))).isFalse();
            FitRule p = fit("{ updatedAt: { min: 5 }, leadId: l }");
            assertThat(p.matches(MapProfileView.builder("l", 5).build())).isTrue();
            assertThat(p.matches(MapProfileView.builder("l", 4).build())).isFalse();
        }
    }
}
