package io.leadscoring.demo;

import java.io.PrintStream;

/**
 * Standard output for people. On a terminal the progress line is rewritten in place ({@code \r}) and other output
 * is printed above it; otherwise every line is a line.
 */
final class Console {

    private static final String CLEAR_TO_END = "\u001b[K";

    private final PrintStream out;
    private final boolean tty;
    private String progress;

    Console(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** A terminal when both standard input and output are one (the JDK's own test). */
    static Console system() {
        java.io.Console console = System.console();
        return new Console(System.out, console != null && isTerminal(console));
    }

    /** From JDK 22 on, System.console() exists when redirected too; Console.isTerminal() tells them apart. */
    private static boolean isTerminal(java.io.Console console) {
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException olderJdk) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    boolean tty() {
        return tty;
    }

    synchronized void println(String text) {
        if (tty && progress != null) {
            out.print("\r" + CLEAR_TO_END);
            out.println(text);
            out.print(progress + CLEAR_TO_END);
        } else {
            out.println(text);
        }
        out.flush();
    }

    synchronized void progress(String line) {
        if (tty) {
            progress = line;
            out.print("\r" + line + CLEAR_TO_END);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Leaves the last progress line where it is and moves to the next line. */
    synchronized void endProgress() {
        if (tty && progress != null) {
            out.println();
            progress = null;
        }
        out.flush();
    }
}
