package io.leadscoring.demo;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When the demo should stop. Ctrl-C and SIGTERM ask for an orderly stop, which the main thread carries out; a second
 * one stops the JVM at once. Any other end of the JVM (System.exit, SIGHUP, a fatal Kafka error) goes through the
 * shutdown hook, which asks for the same orderly stop and waits for it.
 */
final class StopSignal {

    /** The exit status of a forced stop, as a shell reports an interrupted command. */
    static final int FORCED_EXIT_STATUS = 130;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile String reason;

    void request(String why) {
        synchronized (requested) {
            if (reason == null) {
                reason = why;
            }
        }
        requested.countDown();
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** True when a signal asked for the stop; its handler has said so on the console already. */
    boolean bySignal() {
        return signals.get() > 0;
    }

    /** Why the stop was asked for; null while running. */
    String reason() {
        return reason;
    }

    /** Waits up to {@code nanos} for a stop request; true once one was made. */
    boolean await(long nanos) throws InterruptedException {
        return requested.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The orderly stop is complete. */
    void finished() {
        finished.countDown();
    }

    /** Takes over Ctrl-C (INT) and TERM; where a signal cannot be handled, the shutdown hook still works. */
    void handleSignals(Console console) {
        for (String name : List.of("INT", "TERM")) {
            handle(name, () -> onSignal(name, console));
        }
    }

    /**
     * {@code sun.misc.Signal.handle(new Signal(name), handler)}, through reflection: the class is the JDK's supported
     * way to catch a signal (module jdk.unsupported) but javac warns on every direct use. False when the signal
     * cannot be handled here (another platform, -Xrs): the JVM's own handling, and the shutdown hook, remain.
     */
    private static boolean handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "demo " + name + " handler";
                        default -> null;
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    Thread shutdownHook() {
        return new Thread(() -> {
            request("the JVM is shutting down");
            try {
                finished.await(DemoDefaults.SHUTDOWN_HOOK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown-hook");
    }

    private void onSignal(String name, Console console) {
        String what = "INT".equals(name) ? "Ctrl-C" : "SIG" + name;
        if (signals.incrementAndGet() == 1) {
            console.println("Stopping (" + what + "); press Ctrl-C again to stop at once.");
            request(what);
        } else {
            console.println("Stopping at once.");
            Runtime.getRuntime().halt(FORCED_EXIT_STATUS);
        }
    }
}
