package io.leadscoring.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerAuthTest {

    @Test
    void withoutATokenEverythingPasses() {
        for (BearerAuth none : new BearerAuth[] {BearerAuth.of(null), BearerAuth.of("")}) {
            assertThat(none.required()).isFalse();
            assertThat(none.allows(null)).isTrue();
            assertThat(none.allows("Bearer whatever")).isTrue();
            assertThat(none.headerValue()).isNull();
        }
    }

    @Test
    void withATokenOnlyThatBearerTokenPasses() {
        BearerAuth auth = BearerAuth.of("s3cret-token");
        assertThat(auth.required()).isTrue();
        assertThat(auth.allows("Bearer s3cret-token")).isTrue();
        assertThat(auth.allows("bearer s3cret-token")).as("the scheme is case-insensitive").isTrue();
        assertThat(auth.allows("Bearer  s3cret-token ")).isTrue();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("")).isFalse();
        assertThat(auth.allows("Bearer")).isFalse();
        assertThat(auth.allows("Bearer ")).isFalse();
        assertThat(auth.allows("Bearer s3cret-toke")).isFalse();
        assertThat(auth.allows("Bearer s3cret-token2")).isFalse();
        assertThat(auth.allows("Bearer S3CRET-TOKEN")).as("the token is case-sensitive").isFalse();
        assertThat(auth.allows("Basic s3cret-token")).isFalse();
        assertThat(auth.allows("s3cret-token")).isFalse();
        assertThat(auth.headerValue()).isEqualTo("Bearer s3cret-token");
    }

    @Test
    void theTokenIsNeverShown() {
        BearerAuth auth = BearerAuth.of("s3cret-token");
        assertThat(auth.toString()).doesNotContain("s3cret");
        assertThat(new HttpApi.Settings("127.0.0.1", 0, "", auth).toString()).doesNotContain("s3cret");
    }
}
