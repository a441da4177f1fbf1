package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapTest {

    static final String RULES = """
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 10
                cap: { points: 30, per: 1d }
              - name: webinar
                when: { source: download, assetType: WEBINAR }
                points: 20
                cap: { points: 30, per: 1d }
              - name: bounce
                when: { source: email, type: BOUNCED }
                points: -25
                cap: { points: 40, per: 1d }
            """;

    static Lead lead() {
        return new Lead(behaviorRules(1000, 2000, null, RULES));
    }

    @Test
    void awardsStopAtTheCapWithinOneWindow() {
        Lead lead = lead();
        assertThat(lead.web(T0 + HOUR, "https://x/blog/a").awards()).containsExactly(new Award("blog-read", 10.0));
        assertThat(lead.web(T0 + 2 * HOUR, "https://x/blog/b").awards()).containsExactly(new Award("blog-read", 10.0));
        assertThat(lead.web(T0 + 3 * HOUR, "https://x/blog/c").awards()).containsExactly(new Award("blog-read", 10.0));
        Evaluation capped = lead.web(T0 + 4 * HOUR, "https://x/blog/d");
        assertThat(capped.awards()).containsExactly(new Award("blog-read", 0.0));
        assertThat(capped.engagement()).isEqualTo(30.0);
        assertThat(lead.windows.capUsed("lead-1", "blog-read", T0)).isEqualTo(30.0);
    }

    @Test
    void windowsAreAlignedToTheEpochAndStartAtExactMultiples() {
        Lead lead = lead();
        lead.web(T0 - 3 * HOUR, "https://x/blog/a");
        lead.web(T0 - 2 * HOUR, "https://x/blog/b");
        lead.web(T0 - 1, "https://x/blog/c");
        assertThat(lead.web(T0 - 1, "https://x/blog/d").awards()).containsExactly(new Award("blog-read", 0.0));
        // T0 is a multiple of 1d: a new window
        assertThat(lead.web(T0, "https://x/blog/e").awards()).containsExactly(new Award("blog-read", 10.0));
        assertThat(lead.last().engagement()).isEqualTo(40.0);
        assertThat(lead.windows.capUsed("lead-1", "blog-read", T0 - DAY)).isEqualTo(30.0);
        assertThat(lead.windows.capUsed("lead-1", "blog-read", T0)).isEqualTo(10.0);
    }

    @Test
    void theLastAwardIsCutToWhatIsLeft() {
        Lead lead = lead();
        assertThat(lead.download(T0, "WEBINAR").awards()).containsExactly(new Award("webinar", 20.0));
        assertThat(lead.download(T0 + 1, "WEBINAR").awards()).containsExactly(new Award("webinar", 10.0));
        assertThat(lead.download(T0 + 2, "WEBINAR").awards()).containsExactly(new Award("webinar", 0.0));
        assertThat(lead.last().engagement()).isEqualTo(30.0);
    }

    @Test
    void negativePointsAreCappedInMagnitude() {
        Lead lead = lead();
        assertThat(lead.email(T0, "BOUNCED").awards()).containsExactly(new Award("bounce", -25.0));
        assertThat(lead.email(T0 + 1, "BOUNCED").awards()).containsExactly(new Award("bounce", -15.0));
        assertThat(lead.email(T0 + 2, "BOUNCED").awards()).containsExactly(new Award("bounce", 0.0));
        assertThat(lead.last().engagement()).isEqualTo(-40.0);
        assertThat(lead.windows.capUsed("lead-1", "bounce", T0)).isEqualTo(40.0);
    }

    @Test
    void windowsAreCountedInProcessingOrder() {
        Lead lead = lead();
        // the later event of the day is processed first and gets the full award; the earlier one gets what is left
        assertThat(lead.download(T0 + 10 * HOUR, "WEBINAR").awards()).containsExactly(new Award("webinar", 20.0));
        assertThat(lead.download(T0 + 9 * HOUR, "WEBINAR").awards()).containsExactly(new Award("webinar", 10.0));
        // a late event of an earlier day uses that day's window
        assertThat(lead.download(T0 - 5 * HOUR, "WEBINAR").awards()).containsExactly(new Award("webinar", 20.0));
        assertThat(lead.last().engagement()).isEqualTo(50.0);
        assertThat(lead.last().at()).isEqualTo(T0 + 10 * HOUR);
    }

    @Test
    void aFullyCappedEventIsStillAcceptedForTimeAndActivity() {
        Lead lead = lead();
        lead.web(T0, "https://x/blog/a");
        lead.web(T0, "https://x/blog/b");
        lead.web(T0, "https://x/blog/c");
        assertThat(lead.last().activity()).isEqualTo(Activity.ACTIVE);
        Evaluation capped = lead.web(T0 + 20 * HOUR, "https://x/blog/d");
        assertThat(capped.awards()).containsExactly(new Award("blog-read", 0.0));
        assertThat(capped.at()).isEqualTo(T0 + 20 * HOUR);
        assertThat(lead.state.evaluationTime()).isEqualTo(T0 + 20 * HOUR);
        assertThat(lead.windows.activityWeek("lead-1", T0)).containsExactly(T0 + 20 * HOUR, T0, T0);
        assertThat(capped.reasons()).containsExactly(new Reason("blog-read", 30.0));
    }

    @Test
    void capsAreKeptPerLead() {
        InMemoryWindowedState shared = new InMemoryWindowedState();
        Scorer scorer = new Scorer(behaviorRules(1000, 2000, null, RULES));
        Lead a = new Lead("a", scorer, shared);
        Lead b = new Lead("b", scorer, shared);
        a.download(T0, "WEBINAR");
        a.download(T0, "WEBINAR");
        assertThat(b.download(T0, "WEBINAR").awards()).containsExactly(new Award("webinar", 20.0));
    }
}
