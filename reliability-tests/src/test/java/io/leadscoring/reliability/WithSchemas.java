package io.leadscoring.reliability;

import io.leadscoring.demo.DemoParts;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the child JVMs (scoring application, Connect worker): registers every schema in the in-process
 * registry ({@code mock://SCOPE}) in the demo's fixed order, so that each JVM numbers them as the test JVM does, then
 * runs the real main class unchanged. The one stand-in of the suite: no registry server runs between the JVMs.
 *
 * <p>Arguments: {@code SCOPE MAIN-CLASS ARGS...}.
 */
public final class WithSchemas {

    private WithSchemas() {
    }

    public static void main(String[] args) throws Exception {
        DemoParts.registerSchemas(args[0]);
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
