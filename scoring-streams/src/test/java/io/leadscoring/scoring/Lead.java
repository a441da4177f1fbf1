package io.leadscoring.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * One lead driven through a {@link Scorer} like the topology does: the state is written to bytes and read back
 * between records, the windowed facts live in an {@link InMemoryWindowedState}.
 */
final class Lead {
    final String id;
    final Scorer scorer;
    final InMemoryWindowedState windows;
    LeadState state;
    ProfileView profile;
    final List<Evaluation> evaluations = new ArrayList<>();
    final List<StageTransition> transitions = new ArrayList<>();
    private int seq;

    Lead(RuleSet rules) {
        this("lead-1", new Scorer(rules), new InMemoryWindowedState());
    }

    Lead(String id, Scorer scorer, InMemoryWindowedState windows) {
        this.id = id;
        this.scorer = scorer;
        this.windows = windows;
        this.state = LeadState.empty(id);
    }

    String nextId() {
        return id + "-e" + (++seq);
    }

    Evaluation event(ScoringEvent e) {
        state = LeadState.fromBytes(state.toBytes());
        Evaluation ev = scorer.onEvent(state, e, profile, windows);
        record(ev);
        return ev;
    }

    Evaluation profile(ProfileView p) {
        state = LeadState.fromBytes(state.toBytes());
        profile = p;
        Evaluation ev = scorer.onProfile(state, p, windows);
        record(ev);
        return ev;
    }

    private void record(Evaluation ev) {
        if (ev != null) {
            evaluations.add(ev);
            if (ev.transition() != null) {
                transitions.add(ev.transition());
            }
        }
    }

    Evaluation web(long t, String url) {
        return web(t, url, "PAGE_VIEW");
    }

    Evaluation web(long t, String url, String action) {
        return event(MapScoringEvent.web(id, nextId(), t, url, action));
    }

    Evaluation email(long t, String type) {
        return event(MapScoringEvent.email(id, nextId(), t, type));
    }

    Evaluation download(long t, String assetType) {
        return event(MapScoringEvent.download(id, nextId(), t, assetType));
    }

    MapProfileView.Builder newProfile(long updatedAt) {
        return MapProfileView.builder(id, updatedAt);
    }

    Evaluation last() {
        return evaluations.get(evaluations.size() - 1);
    }
}
