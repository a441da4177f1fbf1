package io.leadscoring.scoring;

import java.util.List;
import java.util.stream.Collectors;

/** A rule file was refused as a whole; {@link #errors()} lists every problem found, in line order. */
public final class RuleFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final List<RuleError> errors;

    public RuleFileException(String file, List<RuleError> errors) {
        super(render(file, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a RuleFileException needs at least one error");
        }
        this.file = file;
        this.errors = List.copyOf(errors);
    }

    public String file() {
        return file;
    }

    public List<RuleError> errors() {
        return errors;
    }

    private static String render(String file, List<RuleError> errors) {
        return errors.stream().map(e -> e.format(file)).collect(Collectors.joining("\n"));
    }
}
