// TestRunner.java: the Java peer's tiny test runner (no JUnit here): runs every suite, prints one
// line per failure and a closing "N passed, N failed" line, exits 1 if anything failed.
package zmqinterop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -cp <jeromq.jar>:<classes>:<test classes> zmqinterop.TestRunner REPO_ROOT [FILTER]}.
 * REPO_ROOT holds testdata/ and crates/harness/tests/data/; FILTER, if given, runs only the
 * tests whose name contains it.
 */
public final class TestRunner {
    /** A test body; any exception (an AssertionError from Check included) fails it. */
    interface Body {
        void run() throws Exception;
    }

    private record Test(String name, Body body) {}

    private final List<Test> tests = new ArrayList<>();

    void test(String name, Body body) {
        tests.add(new Test(name, body));
    }

    public static void main(String[] args) {
        if (args.length < 1 || !Files.isDirectory(Path.of(args[0], "testdata"))) {
            System.err.println("usage: TestRunner REPO_ROOT [FILTER]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        String filter = args.length > 1 ? args[1] : "";
        TestRunner runner = new TestRunner();
        FakeHwTests.register(runner, root);
        EnvelopeTests.register(runner, root);
        ContractTests.register(runner);
        ProcessTests.register(runner, root);
        CaseProcessTests.register(runner);
        int passed = 0;
        int failed = 0;
        for (Test test : runner.tests) {
            if (!test.name().contains(filter)) {
                continue;
            }
            long started = System.nanoTime();
            try {
                test.body().run();
                passed++;
                System.out.printf("ok   %-70s %6d ms%n", test.name(), (System.nanoTime() - started) / 1_000_000);
            } catch (Throwable e) {
                failed++;
                System.out.println("FAIL " + test.name() + ": " + e);
                for (StackTraceElement frame : e.getStackTrace()) {
                    if (frame.getClassName().startsWith("zmqinterop.")) {
                        System.out.println("       at " + frame);
                    }
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }
}
