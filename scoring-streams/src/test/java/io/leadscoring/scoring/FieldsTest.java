package io.leadscoring.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldsTest {

    @Test
    void pathIsTheDecodedPathAndSlashWhenEmpty() {
        assertThat(Fields.path("https://www.example.com/blog/lead-scoring?utm=x#top")).isEqualTo("/blog/lead-scoring");
        assertThat(Fields.path("https://www.example.com/caf%C3%A9/a%20b")).isEqualTo("/café/a b");
        assertThat(Fields.path("https://www.example.com")).isEqualTo("/");
        assertThat(Fields.path("https://www.example.com?q=1")).isEqualTo("/");
        assertThat(Fields.path("https://www.example.com/")).isEqualTo("/");
        assertThat(Fields.path("/pricing")).isEqualTo("/pricing");
    }

    @Test
    void hostIsLowercasedWithoutPortOrUserInfo() {
        assertThat(Fields.host("https://WWW.Example.COM:8443/x")).isEqualTo("www.example.com");
        assertThat(Fields.host("https://user:pw@docs.example.com/")).isEqualTo("docs.example.com");
        assertThat(Fields.host("https://my_host.example.com/x")).isEqualTo("my_host.example.com");
        assertThat(Fields.host("/pricing")).isNull();
    }

    @Test
    void unparsableOrMissingUrlsGiveNulls() {
        assertThat(Fields.path("http://exa mple.com/a b")).isNull();
        assertThat(Fields.host("http://exa mple.com/a b")).isNull();
        assertThat(Fields.path(null)).isNull();
        assertThat(Fields.host(null)).isNull();
        assertThat(Fields.path("  ")).isNull();
        assertThat(Fields.path("mailto:someone@example.com")).isNull();
        assertThat(Fields.host("mailto:someone@example.com")).isNull();
    }

    @Test
    void emailDomainIsTheLowercasedPartAfterTheLastAt() {
        assertThat(Fields.emailDomain("Jane.Doe@ACME.Example")).isEqualTo("acme.example");
        assertThat(Fields.emailDomain("\"odd@local\"@Rival.Example")).isEqualTo("rival.example");
        assertThat(Fields.emailDomain(" jane@acme.example ")).isEqualTo("acme.example");
        assertThat(Fields.emailDomain("no-at-sign")).isNull();
        assertThat(Fields.emailDomain("trailing@")).isNull();
        assertThat(Fields.emailDomain(null)).isNull();
    }

    @Test
    void webEventsDeriveTheirPathAndHostButOtherSourcesDoNot() {
        MapScoringEvent web = MapScoringEvent.web("l", "e", 1, "https://Shop.Example/Blog/Post", "PAGE_VIEW");
        assertThat(web.get("path")).isEqualTo("/Blog/Post");
        assertThat(web.get("host")).isEqualTo("shop.example");
        MapScoringEvent email = MapScoringEvent.builder(Source.EMAIL, "l", "e", 1).set("url", "https://x.example/a").build();
        assertThat(email.get("path")).isNull();
    }
}
