package dev.prism.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself must be able to fail: leak a buffer on purpose and see it reported. */
class LeakCheckExtensionTest {
    @Test
    void aLeakedBufferIsReported() throws Exception {
        leak();
        // The same check afterAll runs, but patient: under load the collected buffer can take a while
        // to reach the detector's queue. It returns as soon as the leak is reported.
        AssertionError error = assertThrows(AssertionError.class,
                () -> new LeakCheckExtension().check(null, 5_000));
        assertTrue(error.getMessage().contains("leak"), error.getMessage());
    }

    private static void leak() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(42);
        // dropped without release
    }
}
