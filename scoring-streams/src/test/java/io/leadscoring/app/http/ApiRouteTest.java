package io.leadscoring.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.app.http.ApiRoute.Kind;
import org.junit.jupiter.api.Test;

class ApiRouteTest {

    @Test
    void theEndpoints() {
        assertThat(ApiRoute.of("GET", "/health")).isEqualTo(new ApiRoute(Kind.HEALTH, null));
        assertThat(ApiRoute.of("GET", "/metrics")).isEqualTo(new ApiRoute(Kind.METRICS, null));
        assertThat(ApiRoute.of("GET", "/leads/top")).isEqualTo(new ApiRoute(Kind.TOP, null));
        assertThat(ApiRoute.of("GET", "/internal/leads/top")).isEqualTo(new ApiRoute(Kind.LOCAL_TOP, null));
        assertThat(ApiRoute.of("GET", "/leads/lead-ana")).isEqualTo(new ApiRoute(Kind.LEAD, "lead-ana"));
    }

    @Test
    void unknownPathsAreNotFoundWhateverTheMethod() {
        for (String path : new String[] {"/leads", "/leads/", "/leads/a/b", "/health/", "/Health", "/handoffs/x",
                "/internal/leads", "/leads/top/x", "/metrics/jvm", "", null}) {
            assertThat(ApiRoute.of("GET", path).kind()).as(path).isEqualTo(Kind.NOT_FOUND);
            assertThat(ApiRoute.of("POST", path).kind()).as(path).isEqualTo(Kind.NOT_FOUND);
        }
    }

    @Test
    void thePageAndTheHandoffFeedHaveTheirRoutes() {
        assertThat(ApiRoute.of("GET", "/").kind()).isEqualTo(Kind.PAGE);
        assertThat(ApiRoute.of("GET", "/index.html").kind()).isEqualTo(Kind.PAGE);
        assertThat(ApiRoute.of("GET", "/handoffs").kind()).isEqualTo(Kind.HANDOFFS);
        assertThat(ApiRoute.of("POST", "/handoffs").kind()).isEqualTo(Kind.METHOD_NOT_ALLOWED);
    }

    @Test
    void otherMethodsThanGetOnAnEndpointAreNotAllowed() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get"}) {
            assertThat(ApiRoute.of(method, "/leads/lead-ana").kind()).as(method).isEqualTo(Kind.METHOD_NOT_ALLOWED);
            assertThat(ApiRoute.of(method, "/health").kind()).as(method).isEqualTo(Kind.METHOD_NOT_ALLOWED);
        }
    }

    @Test
    void leadIdsArePercentDecodedWithPlusAsAPlusSign() {
        assertThat(ApiRoute.of("GET", "/leads/a%2Fb").leadId()).isEqualTo("a/b");
        assertThat(ApiRoute.of("GET", "/leads/a+b%20c").leadId()).isEqualTo("a+b c");
        assertThat(ApiRoute.of("GET", "/leads/caf%C3%A9").leadId()).isEqualTo("café");
        assertThat(ApiRoute.of("GET", "/leads/%74op")).isEqualTo(new ApiRoute(Kind.LEAD, "top"));
        assertThat(ApiRoute.of("GET", "/leads/%zz").kind()).isEqualTo(Kind.BAD_PATH);
    }

    @Test
    void leadPathEncodesAnyIdSoThatItRoutesBackToIt() {
        for (String id : new String[] {"lead-ana", "top", "a/b", "a b+c", "café", "x?y#z&n=1", "%41", "~._-"}) {
            String path = ApiRoute.leadPath(id);
            assertThat(path).startsWith("/leads/").doesNotContain(" ", "?", "#");
            assertThat(ApiRoute.of("GET", path)).as(path).isEqualTo(new ApiRoute(Kind.LEAD, id));
        }
        assertThat(ApiRoute.leadPath("lead-ana")).isEqualTo("/leads/lead-ana");
        assertThat(ApiRoute.leadPath("top")).isEqualTo("/leads/%74op");
    }
}
