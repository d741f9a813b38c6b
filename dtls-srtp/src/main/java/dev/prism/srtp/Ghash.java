package dev.prism.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * GHASH (NIST SP 800-38D §6.4) for one hash key, computed by the JDK's own routine, which C2
 * replaces with its carry-less-multiply intrinsic (about 0.2 ns per byte here, several times a
 * table-driven GHASH in Java). The JDK keeps that routine private to {@code java.base}; it is
 * reachable only when the JVM runs with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}
 * (the Prism jars say so in their manifests, the {@code prism} script and the test JVMs pass it).
 * Without it {@link #AVAILABLE} is false and SRTP falls back to the JCE's {@code AES/GCM} cipher,
 * which is correct but allocates about 1 KB per packet. A known-answer test guards the fast path:
 * should a future JDK change the routine's contract, it is not used.
 *
 * <p>Why not the JCE cipher directly: it must be re-initialised per packet (the IV changes) and
 * each {@code Cipher.init} builds a new GCM engine. Owned by one thread; allocation-free.
 */
final class Ghash {
    /** Whether the JDK's GHASH routine is reachable and passed the known-answer test. */
    static final boolean AVAILABLE;
    /** Why it is not, for the startup log; null when it is. */
    static final String UNAVAILABLE_REASON;

    private static final MethodHandle NEW_GHASH;      // GHASH(byte[] subkeyH)
    private static final MethodHandle PROCESS_BLOCKS; // static processBlocks(byte[], int, int, long[], long[])
    private static final VarHandle SUBKEY_TABLE;      // long[] subkeyHtbl

    static {
        MethodHandle newGhash = null;
        MethodHandle processBlocks = null;
        VarHandle table = null;
        String reason = null;
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            newGhash = lookup.findConstructor(ghash, MethodType.methodType(void.class, byte[].class))
                    .asType(MethodType.methodType(Object.class, byte[].class));
            processBlocks = lookup.findStatic(ghash, "processBlocks", MethodType.methodType(
                    void.class, byte[].class, int.class, int.class, long[].class, long[].class));
            table = lookup.findVarHandle(ghash, "subkeyHtbl", long[].class);
        } catch (IllegalAccessException e) {
            reason = "java.base does not open com.sun.crypto.provider (run with --add-opens "
                    + "java.base/com.sun.crypto.provider=ALL-UNNAMED)";
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "this JDK's GHASH differs (" + e + ")";
        }
        NEW_GHASH = newGhash;
        PROCESS_BLOCKS = processBlocks;
        SUBKEY_TABLE = table;
        if (reason == null && !knownAnswer()) {
            reason = "the JDK's GHASH failed the known-answer test";
        }
        AVAILABLE = reason == null;
        UNAVAILABLE_REASON = reason;
    }

    private final long[] subkeyTable;
    private final long[] state = new long[2];
    private final byte[] block = new byte[16];

    /** @param hashKey H = E(K, 0^128), 16 bytes */
    Ghash(byte[] hashKey) {
        if (NEW_GHASH == null) {
            throw new IllegalStateException("GHASH unavailable: " + UNAVAILABLE_REASON);
        }
        try {
            // The JDK's table for this key (H and, filled by the intrinsic, its powers).
            subkeyTable = (long[]) SUBKEY_TABLE.get(NEW_GHASH.invokeExact(hashKey.clone()));
        } catch (Throwable e) {
            throw new IllegalStateException("GHASH unavailable", e);
        }
    }

    /** As {@link AesCtr#prefetch()}: one word of each line of the hash key's table and the running state. */
    int prefetch() {
        long x = state[0] ^ block[0];
        long[] t = subkeyTable;
        for (int i = 0; i < t.length; i += 8) {
            x ^= t[i];
        }
        return (int) x;
    }

    void reset() {
        state[0] = 0;
        state[1] = 0;
    }

    /** Hashes bytes[offset, offset+length) zero-padded to whole blocks, as GCM pads A and C (§7.1). */
    void updatePadded(byte[] bytes, int offset, int length) {
        int blocks = length >>> 4;
        if (blocks > 0) {
            process(bytes, offset, blocks);
        }
        int rest = length & 15;
        if (rest > 0) {
            Arrays.fill(block, (byte) 0);
            System.arraycopy(bytes, offset + (blocks << 4), block, 0, rest);
            process(block, 0, 1);
        }
    }

    /** Hashes the final block: the bit lengths of A and C (§7.1 step 5). */
    void lengths(long aadBytes, long textBytes) {
        AesCtr.putLong(block, 0, aadBytes << 3);
        AesCtr.putLong(block, 8, textBytes << 3);
        process(block, 0, 1);
    }

    /** out[offset, offset+16) = the hash XOR mask[maskOffset, maskOffset+16) (the tag is GHASH ^ E(K, J0)). */
    void finish(byte[] mask, int maskOffset, byte[] out, int offset) {
        AesCtr.putLong(out, offset, state[0] ^ AesCtr.getLong(mask, maskOffset));
        AesCtr.putLong(out, offset + 8, state[1] ^ AesCtr.getLong(mask, maskOffset + 8));
    }

    private void process(byte[] bytes, int offset, int blocks) {
        // The intrinsic does no range checks of its own: never call it past the array.
        if (offset < 0 || blocks < 0 || offset > bytes.length - (blocks << 4)) {
            throw new IndexOutOfBoundsException("GHASH of " + blocks + " blocks at " + offset + " in " + bytes.length);
        }
        try {
            PROCESS_BLOCKS.invokeExact(bytes, offset, blocks, state, subkeyTable);
        } catch (Throwable e) {
            throw new IllegalStateException("GHASH failed", e);
        }
    }

    /** SP 800-38D / the GCM spec's test case 2: K = 0, P = 0^128: GHASH(H, {}, C) = f38cbb1a…f885. */
    private static boolean knownAnswer() {
        try {
            HexFormat hex = HexFormat.of();
            Ghash g = new Ghash(hex.parseHex("66e94bd4ef8a2c3b884cfa59ca342b2e"));
            byte[] c = hex.parseHex("0388dace60b6a392f328c2b971b2fe78");
            g.updatePadded(c, 0, 16);
            g.lengths(0, 16);
            byte[] out = new byte[16];
            g.finish(new byte[16], 0, out, 0);
            return hex.formatHex(out).equals("f38cbb1ad69223dcc3457ae5b6b0f885");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
