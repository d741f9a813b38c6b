package dev.prism.srtp;

/** Open-addressing map from SSRC to stream state: no boxing, allocation only when a stream is added. */
final class SrtpStreamMap {
    private SrtpStream[] slots = new SrtpStream[16];
    private int size;

    SrtpStream get(int ssrc) {
        SrtpStream[] s = slots;
        int mask = s.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            SrtpStream e = s[i];
            if (e == null || e.ssrc == ssrc) {
                return e;
            }
        }
    }

    SrtpStream getOrAdd(int ssrc) {
        SrtpStream e = get(ssrc);
        if (e != null) {
            return e;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        e = new SrtpStream(ssrc);
        insert(slots, e);
        size++;
        return e;
    }

    int size() {
        return size;
    }

    private void grow() {
        SrtpStream[] bigger = new SrtpStream[slots.length * 2];
        for (SrtpStream e : slots) {
            if (e != null) {
                insert(bigger, e);
            }
        }
        slots = bigger;
    }

    private static void insert(SrtpStream[] s, SrtpStream e) {
        int mask = s.length - 1;
        int i = mix(e.ssrc) & mask;
        while (s[i] != null) {
            i = (i + 1) & mask;
        }
        s[i] = e;
    }

    private static int mix(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
