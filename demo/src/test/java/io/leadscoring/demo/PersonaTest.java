package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.demo.Script.ScriptStep;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.WebAction;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each persona's script does what its role says, in every variant its random choices produce. */
class PersonaTest {

    private static final int VARIANTS = 300;

    @Test
    void weightsAddUpToOneHundredPercent() {
        assertThat(Persona.totalWeight()).isEqualTo(100);
        assertThat(Persona.BUYER.weight()).isEqualTo(20);
        assertThat(Persona.TIRE_KICKER.weight()).isEqualTo(25);
        assertThat(Persona.NEWSLETTER_READER.weight()).isEqualTo(25);
    }

    @Test
    void drawsPersonasInProportionToTheirWeights() {
        Random random = new Random(1);
        Map<Persona, Integer> drawn = new EnumMap<>(Persona.class);
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            drawn.merge(Persona.draw(random), 1, Integer::sum);
        }
        for (Persona persona : Persona.values()) {
            assertThat(drawn.get(persona) * 100.0 / draws).as(persona.name()).isCloseTo(persona.weight(),
                    Offset.offset(0.5));
        }
    }

    @ParameterizedTest
    @EnumSource(Persona.class)
    void everyScriptStartsWithTheLeadsProfileAndHasNoOtherProfile(Persona persona) {
        for (Script script : scripts(persona)) {
            assertThat(script.steps().get(0).step()).isInstanceOf(Step.Profile.class);
            assertThat(steps(script).subList(1, script.steps().size())).noneMatch(Step.Profile.class::isInstance);
            assertThat(script.steps().get(0).burst()).isFalse();
        }
    }

    @Test
    void aBuyerResearchesChecksPricingThenAsksForADemoOrSales() {
        for (Script script : scripts(Persona.BUYER)) {
            List<Step> steps = steps(script);
            Person person = ((Step.Profile) steps.get(0)).person();
            assertThat(person.authority()).isEqualTo("DECISION_MAKER");
            assertThat(person.timeline()).isIn("WITHIN_3_MONTHS", "WITHIN_6_MONTHS");
            assertThat(person.companySize()).isBetween(50, 5000);
            int pricing = steps.indexOf(Step.view("/pricing"));
            int form = indexOfForm(steps);
            assertThat(pricing).isPositive();
            assertThat(form).as("a demo request or contact-sales form after pricing").isGreaterThan(pricing);
            assertThat(((Step.Web) steps.get(form)).path()).isIn("/demo", "/contact");
            assertThat(steps).anyMatch(s -> s instanceof Step.Download d && d.assetType() == AssetType.CASE_STUDY);
            assertThat(steps).anyMatch(s -> s instanceof Step.Web w && w.path().startsWith("/customers/"));
            assertThat(steps.subList(0, form)).filteredOn(Step.Web.class::isInstance)
                    .noneMatch(s -> ((Step.Web) s).action() == WebAction.FORM_SUBMIT);
        }
    }

    @Test
    void aTireKickerBrowsesTheBlogAndNeverFillsAForm() {
        for (Script script : scripts(Persona.TIRE_KICKER)) {
            List<Step> steps = steps(script).subList(1, script.steps().size());
            assertThat(steps).allMatch(s -> s instanceof Step.Web w && w.action() == WebAction.PAGE_VIEW
                    || s instanceof Step.Download d && d.assetType() == AssetType.DATASHEET);
            assertThat(steps).filteredOn(s -> s instanceof Step.Web w && w.path().startsWith("/blog/")).hasSize(4);
            assertThat(steps).noneMatch(s -> s instanceof Step.Web w && w.path().startsWith("/pricing"));
        }
    }

    @Test
    void aCompetitorWritesFromACompetitorDomainAndLooksLikeABuyer() {
        for (Script script : scripts(Persona.COMPETITOR)) {
            List<Step> steps = steps(script);
            Person person = ((Step.Profile) steps.get(0)).person();
            assertThat(person.email().substring(person.email().indexOf('@') + 1))
                    .isIn(SampleData.COMPETITOR_DOMAINS);
            assertThat(steps).contains(Step.view("/pricing"), Step.form("/demo"));
            assertThat(steps).anyMatch(s -> s instanceof Step.Download d && d.assetType() == AssetType.PRICE_LIST);
        }
    }

    @Test
    void aJobSeekerVisitsTheCareerPagesFromAFreeMailAddress() {
        for (Script script : scripts(Persona.JOB_SEEKER)) {
            List<Step> steps = steps(script);
            Person person = ((Step.Profile) steps.get(0)).person();
            assertThat(person.email().substring(person.email().indexOf('@') + 1))
                    .isIn(SampleData.FREE_MAIL_DOMAINS);
            assertThat(person.authority()).isEqualTo("USER");
            assertThat(steps).filteredOn(s -> s instanceof Step.Web w && w.path().startsWith("/careers"))
                    .hasSizeGreaterThanOrEqualTo(4);
            assertThat(steps).noneMatch(s -> s instanceof Step.Web w && w.path().startsWith("/pricing"));
        }
    }

    @Test
    void aNewsletterReaderSignsUpAndReadsNewslettersOnly() {
        for (Script script : scripts(Persona.NEWSLETTER_READER)) {
            List<Step> steps = steps(script);
            assertThat(steps.get(1)).isEqualTo(Step.form("/newsletter"));
            List<Step.Email> emails = steps.stream().filter(Step.Email.class::isInstance).map(Step.Email.class::cast)
                    .toList();
            assertThat(emails).isNotEmpty().allMatch(e -> e.emailKind().equals("newsletter"));
            assertThat(emails).filteredOn(e -> e.type() == EmailEventType.OPENED).hasSize(3);
            assertThat(steps).noneMatch(Step.Download.class::isInstance);
            assertThat(steps).filteredOn(s -> s instanceof Step.Web w && w.action() == WebAction.PAGE_VIEW)
                    .allMatch(s -> ((Step.Web) s).path().startsWith("/blog/"));
        }
    }

    @Test
    void anExecutiveHasABurstThenSilence() {
        for (Script script : scripts(Persona.EXECUTIVE)) {
            assertThat(script.silenceAfter()).isTrue();
            List<ScriptStep> steps = script.steps();
            assertThat(steps.get(1).step()).isEqualTo(Step.view("/pricing"));
            assertThat(steps.subList(2, steps.size())).allMatch(ScriptStep::burst).hasSize(3);
            assertThat(((Step.Profile) steps.get(0).step()).person().companySize()).isGreaterThan(5000);
        }
    }

    @Test
    void onlyExecutivesGoSilentAndBurst() {
        for (Persona persona : Persona.values()) {
            if (persona == Persona.EXECUTIVE) {
                continue;
            }
            for (Script script : scripts(persona)) {
                assertThat(script.silenceAfter()).as(persona.name()).isFalse();
                assertThat(script.steps()).as(persona.name()).noneMatch(ScriptStep::burst);
            }
        }
    }

    private static List<Script> scripts(Persona persona) {
        Random random = new Random(persona.ordinal());
        return IntStream.range(0, VARIANTS)
                .mapToObj(i -> persona.script(random, persona.person(random))).toList();
    }

    private static List<Step> steps(Script script) {
        return script.steps().stream().map(ScriptStep::step).toList();
    }

    private static int indexOfForm(List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Step.Web web && web.action() == WebAction.FORM_SUBMIT) {
                return i;
            }
        }
        return -1;
    }
}
