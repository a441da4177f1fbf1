package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    static final Path DOC = Path.of("docs/sink-connector-config.md");

    @Test
    void referenceListsEveryKeyByGroup() {
        String md = ConfigDocs.markdown(CrmSinkConfig.CONFIG_DEF);
        CrmSinkConfig.CONFIG_DEF.names().forEach(name -> assertThat(md).contains("| `" + name + "` |"));
        assertThat(md).containsSubsequence("## Target", "## Webhook", "## Delivery", "## TLS");
        assertThat(md).contains("| `webhook.signature.header` | string | `X-Signature-SHA256` |");
    }

    /** The checked-in reference must match the ConfigDef; run with -Ddocs.update=true to regenerate it. */
    @Test
    void checkedInReferenceIsUpToDate() throws Exception {
        String md = ConfigDocs.markdown(CrmSinkConfig.CONFIG_DEF);
        if (Boolean.getBoolean("docs.update")) {
            ConfigDocs.main(new String[] {DOC.toString()});
        }
        assertThat(DOC).as("the checked-in reference (regenerate with -Ddocs.update=true)").exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("%s is stale: regenerate with -Ddocs.update=true", DOC)
                .isEqualTo(md);
    }
}
