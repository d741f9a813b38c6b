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
        AssertionError error = assertThrows(AssertionError.class,
                () -> new LeakCheckExtension().afterAll(null));
        assertTrue(error.getMessage().contains("leak"), error.getMessage());
    }

    private static void leak() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(42);
        // dropped without release
    }
}
