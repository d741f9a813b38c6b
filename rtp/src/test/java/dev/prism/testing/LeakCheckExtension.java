package dev.prism.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (run at PARANOID by the build)
 * reports a leaked buffer. Registered for every test by JUnit's extension
 * auto-detection (see the surefire configuration in the root pom).
 *
 * <p>Netty reports leaks only when a leaked buffer is collected and the next
 * buffer is allocated, so after each class we collect garbage and allocate
 * a few buffers to drain the reference queue.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private static synchronized void install() {
        if (installed) {
            return;
        }
        // Must run before the first ByteBuf class initialises its static detector;
        // extensions are loaded before any test body allocates a buffer.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        installed = true;
    }

    static {
        install();
    }

    /** Creates detectors that record every leak report instead of only logging it. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval, maxActive) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    super.reportTracedLeak(resourceType, records);
                    LEAKS.add(resourceType + records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    super.reportUntracedLeak(resourceType);
                    LEAKS.add(resourceType + " (untraced)");
                }

                @Override
                protected boolean needReport() {
                    return true;
                }
            };
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        check(context, 0);
    }

    /**
     * Collects garbage and allocates to drain the detector's reference queue, three rounds, then
     * more until a leak is reported or {@code patienceMillis} have passed; throws when one was. A
     * collected buffer reaches the queue only when the JVM's reference handler thread gets to it,
     * which on a loaded machine can take longer than three rounds. After every class only the three
     * quick rounds run (nothing to find is the common case, and waiting 5 s for nothing after every
     * class would slow the suite); {@link LeakCheckExtensionTest}, which knows there is a leak, waits.
     */
    void check(ExtensionContext context, long patienceMillis) throws Exception {
        long deadline = System.nanoTime() + patienceMillis * 1_000_000L;
        for (int round = 0; round < 3 || LEAKS.isEmpty() && System.nanoTime() < deadline; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 8; i++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
            }
        }
        if (!LEAKS.isEmpty()) {
            String first = LEAKS.get(0);
            int n = LEAKS.size();
            LEAKS.clear();
            throw new AssertionError(n + " Netty buffer leak(s) reported in " + (context == null ? "this class" : context.getDisplayName()) + ":\n" + first);
        }
    }
}
